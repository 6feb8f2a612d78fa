/** Product images go straight from the admin's browser to S3 through a short-lived pre-signed PUT. */
import { IMAGE_CONTENT_TYPES, type ImageUploadInput } from '../admin-contracts';
import { catalogErrors, imageKeyPrefix } from '../domain';
import type { CatalogDeps, ImageUploadSigner } from '../ports';

export const UPLOAD_URL_TTL_SECONDS = 5 * 60;

export interface ImageUpload {
  readonly uploadUrl: string;
  readonly method: 'PUT';
  readonly headers: Record<string, string>;
  readonly key: string;
  readonly expiresIn: number;
}

export async function createImageUploadUrl(
  deps: Pick<CatalogDeps, 'repository' | 'newId'> & { readonly signer: ImageUploadSigner },
  productId: string,
  input: ImageUploadInput,
): Promise<ImageUpload> {
  const product = await deps.repository.getProduct(productId);
  if (!product) throw catalogErrors.productNotFound(productId);
  const key = `${imageKeyPrefix(product.id)}${deps.newId()}.${IMAGE_CONTENT_TYPES[input.contentType]}`;
  const uploadUrl = await deps.signer.presignPut({
    key,
    contentType: input.contentType,
    contentLength: input.contentLength,
    expiresInSeconds: UPLOAD_URL_TTL_SECONDS,
  });
  return {
    uploadUrl,
    method: 'PUT',
    // Both are signed: S3 refuses a PUT with another type or size.
    headers: { 'Content-Type': input.contentType, 'Content-Length': String(input.contentLength) },
    key,
    expiresIn: UPLOAD_URL_TTL_SECONDS,
  };
}
