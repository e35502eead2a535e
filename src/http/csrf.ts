import type { RequestHandler } from 'express';

/** Content types a browser may send cross-site without a preflight. */
const simpleTypes = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

/** Headers that only a preflighted (so same-site or allowed) request can carry. */
const preflightHeaders = ['x-apollo-operation-name', 'apollo-require-preflight', 'graphql-require-preflight'];

/**
 * Refuses requests a browser could send cross-site without a CORS preflight: no content type (a
 * GET), or a "simple" one, and none of the preflight headers. Apollo's rule, done here so that the
 * refusal carries the request id like every other error.
 */
export const csrfPrevention: RequestHandler = (req, res, next) => {
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
