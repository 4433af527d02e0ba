/** A name in a query that does not exist (a mailbox, queue or sync): the reads answer it with 404, the CLI with 2. */
export class NotFoundError extends Error {}
