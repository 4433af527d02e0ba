// Role assignments made by the same deployment take minutes to apply: until then Key Vault and Storage answer 403.
// Retries such calls with progress instead of failing the first `azd up`.
export interface WaitOptions {
  readonly what: string;
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly say?: (line: string) => void;
}

export async function withAccessRetry<T>(run: () => Promise<T>, options: WaitOptions): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  const intervalMs = options.intervalMs ?? 15_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const say = options.say ?? ((line: string) => console.log(line));
  let waited = 0;
  for (;;) {
    try {
      return await run();
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status !== 403 || waited >= timeoutMs) {
        if (status === 403) {
          throw new Error(
            `${options.what}: still 403 after ${Math.round(waited / 1000)} s; check that your identity has the role (azd provision assigns it to the deployer) and run the hook again: azd hooks run postprovision`,
          );
        }
        throw error;
      }
      waited += intervalMs;
      say(
        `${options.what}: 403 while the role assignment applies; waiting (${Math.round(waited / 1000)} s of ${Math.round(timeoutMs / 1000)} s)`,
      );
      await sleep(intervalMs);
    }
  }
}
