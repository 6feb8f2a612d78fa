/**
 * Pre-signed S3 URLs without the S3 client. Signing a URL is local work (SigV4 over the request, no call
 * to S3), but `getSignedUrl` needs an `S3Client`, and the client with its XML protocol and checksum
 * middleware is about 170 KiB of module load on every cold start of a function that never calls S3. The
 * SDK's own `S3RequestPresigner` signs an `HttpRequest` with the same credentials, region and signer; what
 * the client added, and this module does instead, is the URL of the object: virtual-hosted style on AWS
 * (`https://<bucket>.s3.<region>.amazonaws.com/<key>`), path style under `AWS_ENDPOINT_URL_S3` when the
 * environment names an endpoint (the local S3 engine, as the client does for an IP address endpoint).
 */
import { formatUrl } from '@aws-sdk/core/util';
import { S3RequestPresigner } from '@aws-sdk/s3-request-presigner';
import { Hash } from '@smithy/core/serde';
import { HttpRequest } from '@smithy/core/transport';
import { defaultProvider } from './lambda-credentials';

let presigner: S3RequestPresigner | undefined;
const region = () => process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'ap-south-1';

function signer(): S3RequestPresigner {
  presigner ??= new S3RequestPresigner({
    credentials: defaultProvider(),
    region: region(),
    sha256: Hash.bind(null, 'sha256'),
  });
  return presigner;
}

/** S3 keys are escaped once, segment by segment (the signer is told not to escape the path again). */
const escapeKey = (key: string) =>
  key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');

function objectRequest(method: 'GET' | 'PUT', bucket: string, key: string, headers: Record<string, string>) {
  const endpoint = process.env.AWS_ENDPOINT_URL_S3;
  const url = endpoint
    ? new URL(`${endpoint.replace(/\/+$/, '')}/${bucket}/${escapeKey(key)}`)
    : new URL(`https://${bucket}.s3.${region()}.amazonaws.com/${escapeKey(key)}`);
  return new HttpRequest({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    headers: { host: url.host, ...headers },
    query: {},
  });
}

export interface PresignPutRequest {
  readonly key: string;
  readonly contentType: string;
  readonly contentLength: number;
  readonly expiresInSeconds: number;
}

/**
 * A PUT URL whose type and length are signed, so S3 refuses a file of another type or size: that is how an
 * upload is held to the size the client announced (and the API checked).
 */
export async function presignPut(bucket: string, request: PresignPutRequest): Promise<string> {
  const signed = await signer().presign(
    objectRequest('PUT', bucket, request.key, {
      'content-type': request.contentType,
      'content-length': String(request.contentLength),
    }),
    {
      expiresIn: request.expiresInSeconds,
      // The presigner leaves content-type out of the signature unless told otherwise.
      signableHeaders: new Set(['content-type', 'content-length']),
    },
  );
  return formatUrl(signed);
}

/** A GET URL of one object, valid for `expiresInSeconds`. */
export async function presignGet(bucket: string, key: string, expiresInSeconds: number): Promise<string> {
  return formatUrl(
    await signer().presign(objectRequest('GET', bucket, key, {}), { expiresIn: expiresInSeconds }),
  );
}
