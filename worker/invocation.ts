import { extname } from 'node:path';
import type { Job, ParameterValue } from '../shared/jobs';

export interface Interpreters {
  readonly pwsh: string;
  readonly windowsPowerShell: string;
  readonly bash: string;
  readonly node: string;
  readonly python3: string;
}

export interface InvocationInput {
  readonly scriptPath: string;
  readonly job: Pick<Job, 'jobId' | 'parameters' | 'passing' | 'ticketId'>;
  readonly interpreters: Interpreters;
  readonly powershell: 'pwsh' | 'windowsPowerShell';
  readonly platform: NodeJS.Platform;
  /** The fixed bootstrap script (worker/powershell/bootstrap.ps1). */
  readonly bootstrapPath: string;
  /** The environment the worker itself was started with. */
  readonly baseEnv: Readonly<Record<string, string | undefined>>;
}

/** A command line as an argument array (never parsed by a shell), with the environment and stdin to give it. */
export interface Invocation {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly stdin: string;
}

export type InvocationPlan = { ok: true; invocation: Invocation } | { ok: false; detail: string };

/**
 * Decides how a script runs, by its extension. Parameter values only ever travel in environment variables and
 * stdin, so no value can be read as code, as a parameter name or as a shell word.
 */
export function planInvocation(input: InvocationInput): InvocationPlan {
  const extension = extname(input.scriptPath).toLowerCase();
  const env = commonEnv(input);
  const parametersJson = JSON.stringify(input.job.parameters);
  if (extension === '.ps1') {
    const windows = input.platform === 'win32';
    const command =
      input.powershell === 'windowsPowerShell' ? input.interpreters.windowsPowerShell : input.interpreters.pwsh;
    const args = ['-NoProfile', '-NonInteractive', ...(windows ? ['-ExecutionPolicy', 'Bypass'] : [])];
    return {
      ok: true,
      invocation: {
        command,
        args: [...args, '-File', input.bootstrapPath],
        env: {
          ...env,
          HALO_BRIDGE_SCRIPT: input.scriptPath,
          HALO_BRIDGE_PASSING: input.job.passing,
          HALO_BRIDGE_PARAMS: encodeParametersForBootstrap(input.job.parameters),
          HALO_BRIDGE_PARAMS_B64JSON: Buffer.from(parametersJson, 'utf8').toString('base64'),
        },
        stdin: '',
      },
    };
  }
  const interpreter = {
    '.sh': input.interpreters.bash,
    '.js': input.interpreters.node,
    '.py': input.interpreters.python3,
  }[extension];
  if (interpreter === undefined) {
    return { ok: false, detail: `no interpreter for "${extension || '(no extension)'}" (use .ps1, .sh, .js or .py)` };
  }
  const paramEnv: Record<string, string> = { HALO_PARAMS_JSON: parametersJson };
  for (const [name, value] of Object.entries(input.job.parameters)) {
    paramEnv[`HALO_PARAM_${name.toUpperCase()}`] = envText(value);
  }
  return {
    ok: true,
    invocation: { command: interpreter, args: [input.scriptPath], env: { ...env, ...paramEnv }, stdin: parametersJson },
  };
}

/**
 * `name:type:base64(value)` entries joined by `;` (type s string, n number, b boolean, z null). The bootstrap
 * decodes each value from base64 itself: no JSON parser that could turn a date-like string into a DateTime.
 */
export function encodeParametersForBootstrap(parameters: Readonly<Record<string, ParameterValue>>): string {
  return Object.entries(parameters)
    .map(([name, value]) => {
      const type = value === null ? 'z' : typeof value === 'string' ? 's' : typeof value === 'number' ? 'n' : 'b';
      return `${name}:${type}:${Buffer.from(envText(value), 'utf8').toString('base64')}`;
    })
    .join(';');
}

function envText(value: ParameterValue): string {
  if (value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function commonEnv(input: InvocationInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.baseEnv)) {
    // Nothing from the worker's own environment may pose as a job parameter.
    if (value !== undefined && !/^HALO_(PARAM|BRIDGE|JOB|TICKET)/i.test(name)) env[name] = value;
  }
  env.HALO_JOB_ID = input.job.jobId;
  if (input.job.ticketId !== undefined) env.HALO_TICKET_ID = String(input.job.ticketId);
  return env;
}
