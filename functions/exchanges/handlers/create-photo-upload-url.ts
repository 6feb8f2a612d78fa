import { httpHandler } from '#shared/http/handler';
import { createPhotoUploadUrlRoute } from '../contracts';
import { createPhotoUpload } from '../use-cases/photos';
import { photoDeps } from '../wiring-photos';

const deps = photoDeps();

export const handler = httpHandler(createPhotoUploadUrlRoute, ({ caller, path, body }) =>
  createPhotoUpload(deps, caller, path.orderId, body),
);
