export interface ValidationResponse {
  status: 200;
  headers: { 'Content-Type': 'text/plain'; 'X-Content-Type-Options': 'nosniff' };
  body: string;
}

type QueryLike = URLSearchParams | { get(name: string): string | null } | Readonly<Record<string, string | undefined>>;

/**
 * Graph's subscription handshake: when the request carries `validationToken`, answer 200 with the decoded token as
 * plain text and nothing else. The token is opaque: it is echoed byte for byte, never parsed or embedded in
 * markup; `text/plain` with `nosniff` keeps a browser from running it as HTML. Returns undefined for a normal
 * notification. Pass `request.query` (already URL-decoded) from the HTTP trigger.
 */
export function validationResponse(query: QueryLike): ValidationResponse | undefined {
  const token = readToken(query);
  if (token === undefined || token === '') return undefined;
  return { status: 200, headers: { 'Content-Type': 'text/plain', 'X-Content-Type-Options': 'nosniff' }, body: token };
}

function readToken(query: QueryLike): string | undefined {
  if (typeof (query as { get?: unknown }).get === 'function') {
    return (query as { get(name: string): string | null }).get('validationToken') ?? undefined;
  }
  const record = query as Readonly<Record<string, string | undefined>>;
  return Object.hasOwn(record, 'validationToken') ? record.validationToken : undefined;
}
