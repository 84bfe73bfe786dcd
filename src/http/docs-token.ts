/**
 * Swagger UI's requestInterceptor for /docs: the page asks once for a Bereik token (kept in
 * the tab's sessionStorage, never in a URL) and sends it as a bearer token with the API
 * description it loads and with every "Try it out" request. @fastify/swagger-ui writes
 * the function's source into the page, so it is built from plain browser JavaScript here
 * rather than from compiled TypeScript (which may reference helpers the page lacks).
 */
export const DOCS_TOKEN_INTERCEPTOR = new Function(
  'req',
  `var key = 'bereik-api-token';
  var token = window.sessionStorage.getItem(key);
  if (!token) {
    token = window.prompt('Bereik API token (create one with: bereik token create --role operator --name NAME)') || '';
    token = token.trim();
    if (token) window.sessionStorage.setItem(key, token);
  }
  if (token && !req.headers.Authorization && !req.headers.authorization) req.headers.Authorization = 'Bearer ' + token;
  return req;`,
) as <T>(req: T) => T;
