/** An error the simulator answers with Halo's status and body shape. */
export class SimError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(typeof body === 'string' ? body : JSON.stringify(body));
  }
}

/** Validation errors: the .NET exception shape (one of the shapes clients must tolerate, halo-api.md §2.9). */
export const validationError = (message: string) =>
  new SimError(400, { ClassName: 'HaloValidationException', Message: message });
export const notFound = (what: string) => new SimError(404, { Message: `${what} not found` });
