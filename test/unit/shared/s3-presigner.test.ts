/**
 * The presigner signs without an S3 client; these tests hold it to the URL the SDK's `getSignedUrl` with a
 * real `S3Client` produces for the same object, credentials and clock (s3rver, the local engine, does not
 * check signatures, so only this comparison shows that S3 would accept them).
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { presignGet, presignPut } from '../../../functions/shared/aws/s3-presigner';

const ENV = {
  AWS_REGION: 'ap-south-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  AWS_SESSION_TOKEN: 'session-token',
};
const saved = { ...process.env };

beforeEach(() => {
  Object.assign(process.env, ENV);
  delete process.env.AWS_ENDPOINT_URL_S3;
  jest.useFakeTimers({ now: new Date('2026-12-02T10:20:30Z'), advanceTimers: true });
});
afterEach(() => {
  jest.useRealTimers();
  process.env = { ...saved };
});

/** The client's URL without `x-id`, the operation name the SDK adds for its own telemetry. */
function sdkClient(endpoint?: string) {
  const client = new S3Client({
    region: ENV.AWS_REGION,
    credentials: {
      accessKeyId: ENV.AWS_ACCESS_KEY_ID,
      secretAccessKey: ENV.AWS_SECRET_ACCESS_KEY,
      sessionToken: ENV.AWS_SESSION_TOKEN,
    },
    ...(endpoint ? { endpoint } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  client.middlewareStack.add(
    (next) => (args) => {
      delete (args.request as { query: Record<string, unknown> }).query['x-id'];
      return next(args);
    },
    { step: 'build' },
  );
  return client;
}

const put = {
  key: 'imports/m 1/s(1)/01JGD07XPRK7G86J2TBSCTH9W0.csv',
  contentType: 'text/csv',
  contentLength: 1234,
};

describe('s3-presigner', () => {
  it.each([
    ['on AWS (virtual-hosted)', undefined],
    ['under AWS_ENDPOINT_URL_S3 (path style)', 'http://127.0.0.1:4569'],
  ])('signs a PUT %s exactly as getSignedUrl does, type and length signed', async (_, endpoint) => {
    if (endpoint) process.env.AWS_ENDPOINT_URL_S3 = endpoint;
    const ours = await presignPut('zepto-imports', { ...put, expiresInSeconds: 900 });
    const sdk = await getSignedUrl(
      sdkClient(endpoint),
      new PutObjectCommand({
        Bucket: 'zepto-imports',
        Key: put.key,
        ContentType: put.contentType,
        ContentLength: put.contentLength,
      }),
      { expiresIn: 900, signableHeaders: new Set(['content-type', 'content-length']) },
    );
    expect(ours).toBe(sdk);
    const url = new URL(ours);
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe('session-token');
  });

  it('signs a GET exactly as getSignedUrl does', async () => {
    const key = 'imports/m/s/01JGD07XPRK7G86J2TBSCTH9W0.errors.csv';
    const ours = await presignGet('zepto-imports', key, 3600);
    const sdk = await getSignedUrl(sdkClient(), new GetObjectCommand({ Bucket: 'zepto-imports', Key: key }), {
      expiresIn: 3600,
    });
    expect(ours).toBe(sdk);
    expect(new URL(ours).host).toBe('zepto-imports.s3.ap-south-1.amazonaws.com');
  });
});
