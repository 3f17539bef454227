// The words the Ingress controller shares with the webhook and with upstream's operator: which
// Ingresses are ours (by class), how an Ingress names its template API, how a template is marked, and
// how the APIs generated for Ingresses are marked. Pure functions of the objects; no I/O.

/** The legacy way to choose a class, still honoured (upstream's examples use it). */
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
/** On an Ingress: the name of its template ApiDefinition. On an ApiDefinition: "true" marks a template. */
export const TEMPLATE_ANNOTATION = 'gravitee.io/template';
/** On a generated ApiDefinition, as upstream writes it. */
export const EXTENDS_ANNOTATION = 'gravitee.io/extends';
export const EXTENDS_INGRESS = 'gravitee.io/ingress';
/** On a generated ApiDefinition: the template it was built from, for whoever reads it. */
export const GENERATED_FROM_TEMPLATE_ANNOTATION = 'ingress.gravitee.io/template';
/** The controller name IngressClasses of this operator carry. */
export const INGRESS_CONTROLLER_NAME = 'gravitee.io/ingress';
export const DEFAULT_INGRESS_CLASSES: readonly string[] = ['graviteeio'];

export interface IngressLike {
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string>; deletionTimestamp?: unknown };
  spec?: { ingressClassName?: string };
}

/** The class an Ingress asks for: spec.ingressClassName, else the legacy annotation. */
export function ingressClassOf(ingress: IngressLike): string | undefined {
  return ingress.spec?.ingressClassName || ingress.metadata?.annotations?.[INGRESS_CLASS_ANNOTATION] || undefined;
}

/** Whether one of the given classes is the Ingress's: anything else is left entirely alone. */
export function isHandledIngress(ingress: IngressLike, classes: readonly string[]): boolean {
  const wanted = ingressClassOf(ingress);
  return wanted !== undefined && classes.includes(wanted);
}

/** The template an Ingress names, if any (same namespace). */
export function templateNameOf(ingress: IngressLike): string | undefined {
  return ingress.metadata?.annotations?.[TEMPLATE_ANNOTATION]?.trim() || undefined;
}

/** Templates are not APIs of their own: never validated as one, never pushed anywhere. */
export function isIngressTemplate(object: { metadata?: { annotations?: Record<string, string> } }): boolean {
  return object.metadata?.annotations?.[TEMPLATE_ANNOTATION] === 'true';
}
