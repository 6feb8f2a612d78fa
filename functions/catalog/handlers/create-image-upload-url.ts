import { httpHandler } from '#shared/http/handler';
import { createImageUploadUrlRoute } from '../admin-contracts';
import { createImageUploadUrl } from '../use-cases/images';
import { catalogRepositoryDeps } from '../wiring-repository';
import { imageUploadSigner } from '../wiring-images';

// No cache: this function does not declare it, and its bundle should not carry the Redis client.
const deps = { ...catalogRepositoryDeps(), signer: imageUploadSigner() };

export const handler = httpHandler(createImageUploadUrlRoute, async ({ path, body }) =>
  createImageUploadUrl(deps, path.productId, body),
);
