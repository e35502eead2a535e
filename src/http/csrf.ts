import type { RequestHandler } from 'express';

/** Content types a browser may send cross-site without a preflight. */
const simpleTypes = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

/** Headers that only a preflighted (so same-site or allowed) request can carry. */
const preflightHeaders = ['x-apollo-operation-name', 'apollo-require-preflight', 'graphql-require-preflight'];

/**
 * Refuses requests that carry cookies and that a browser could send cross-site without a CORS
 * preflight: no content type (a GET), or a "simple" one, and none of the preflight headers.
 *
 * The API authenticates by an `Authorization` bearer token, which a browser never attaches by
 * itself, so a cross-site request without cookies acts as nobody and a GET query (urql's default)
 * is served as is. A cookie is the one credential a browser sends on its own: should one ever
 * authenticate, a request carrying it needs the preflight again, Apollo's rule. Mutations are
 * POST-only whatever the headers (Apollo answers a GET mutation with 405).
 */
export const csrfPrevention: RequestHandler = (req, res, next) => {
  if (req.headers.cookie === undefined) return next();
  const type = req.headers['content-type']?.split(';')[0].trim().toLowerCase();
  const simple = type === undefined || simpleTypes.has(type);
  if (!simple || preflightHeaders.some((header) => req.headers[header] !== undefined)) return next();
  res.status(400).json({
    errors: [
      {
        message: `This request could be a cross-site request forgery: send it as application/json, or with the header ${preflightHeaders[1]}`,
        extensions: { code: 'BAD_USER_INPUT', requestId: res.locals.requestId as string },
      },
    ],
  });
};
