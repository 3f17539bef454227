// What the portal kinds share: a place in a portal's navigation, and the portal an object belongs to.
import { immutable, integer, required, string, type Schema } from '../schema/index.ts';
import { reference } from './reference.ts';

/**
 * A slash-separated path, as APIM's navigation accepts it: `/` or `/a/b`, no empty segment, no
 * trailing slash and no `..` (APIM refuses each of these).
 */
export const NAVIGATION_PATH_PATTERN = '^/(((\\.?[^/.])+\\.?|\\.)(/((\\.?[^/.])+\\.?|\\.))*)?$';

export function navigationPath(description: string): Schema {
  return string(
    `${description} A path such as /guides/billing: it starts with /, has no empty segment, no trailing / and no "..".`,
    { pattern: NAVIGATION_PATH_PATTERN },
  );
}

export const navigationOrder = integer('Display order among the items at the same place (lower first).', {
  format: 'int32',
});

/** The Portal an object belongs to; it cannot move to another portal (delete it and create it there). */
export const portalRef = required(
  immutable(reference('the Portal this object belongs to'), 'the portal of an object cannot be changed'),
);
