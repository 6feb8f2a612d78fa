import { httpHandler } from '#shared/http/handler';
import { createImageUploadUrlRoute } from '../contracts';
import { createImageUploadUrl } from '../use-cases/images';
import { catalogDeps } from '../wiring';
import { imageUploadSigner } from '../wiring-images';

const deps = { ...catalogDeps(), signer: imageUploadSigner() };

export const handler = httpHandler(createImageUploadUrlRoute, async ({ path, body }) =>
  createImageUploadUrl(deps, path.productId, body),
);
