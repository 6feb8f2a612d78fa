/**
 * Rules of `s3` triggers shared by CDK and the local S3 notifications: which keys a trigger matches, and
 * the checks S3 itself makes when the notification configuration is written (a known bucket; no two
 * configurations of one bucket for ObjectCreated whose prefix/suffix could match the same key — S3
 * refuses those with "Configurations overlap"). Nothing here imports CDK.
 */
import { isS3Function, type AppDef, type S3Trigger } from './types';

/** Whether an object key (unencoded) falls under the trigger's prefix and suffix. */
export function s3TriggerMatches(trigger: Pick<S3Trigger, 'prefix' | 'suffix'>, key: string): boolean {
  return key.startsWith(trigger.prefix ?? '') && key.endsWith(trigger.suffix ?? '');
}

export function checkS3Triggers(app: Pick<AppDef, 'functions' | 'buckets'>): string[] {
  const errors: string[] = [];
  const buckets = new Set(app.buckets.map((b) => b.name));
  const triggers = app.functions.filter(isS3Function);
  for (const fn of triggers)
    if (!buckets.has(fn.trigger.bucket))
      errors.push(`${fn.name} has an s3 trigger on an unknown bucket ${fn.trigger.bucket}`);
  triggers.forEach((a, i) => {
    for (const b of triggers.slice(i + 1)) {
      if (a.trigger.bucket !== b.trigger.bucket) continue;
      const [pa, pb] = [a.trigger.prefix ?? '', b.trigger.prefix ?? ''];
      const [sa, sb] = [a.trigger.suffix ?? '', b.trigger.suffix ?? ''];
      const prefixesOverlap = pa.startsWith(pb) || pb.startsWith(pa);
      const suffixesOverlap = sa.endsWith(sb) || sb.endsWith(sa);
      if (prefixesOverlap && suffixesOverlap)
        errors.push(
          `${a.name} and ${b.name} have s3 triggers on ${a.trigger.bucket} that can match the same key (S3 refuses overlapping notification configurations)`,
        );
    }
  });
  return errors;
}
