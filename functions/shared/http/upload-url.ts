import * as z from 'zod/mini';

/**
 * The answer of a route that hands out a pre-signed S3 PUT (product images, exchange photos): a response
 * schema builder (ResponseSchema in ./route.ts), built only for the OpenAPI document.
 */
export const presignedUploadSchema = () =>
  z.object({
    uploadUrl: z.string(),
    method: z.literal('PUT'),
    /** Send exactly these headers with the PUT: they are part of the signature. */
    headers: z.record(z.string(), z.string()),
    key: z.string(),
    expiresIn: z.number().check(z.int()),
  });
