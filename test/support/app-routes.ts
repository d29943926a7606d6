/** The routes an Express app registers, read from its router stack (Express 5, router 2). */

interface Layer {
  rawPath?: string;
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** `METHOD /path/{param}` of every route of an app and of the routers mounted in it, in OpenAPI's path form. */
export function appRoutes(app: unknown): string[] {
  return routesOf((app as { router: { stack: Layer[] } }).router.stack);
}

function routesOf(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    const join = (tail: string) => `${prefix}/${tail}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
    if (layer.route) {
      const template = join(layer.route.path).replace(/:(\w+)/g, '{$1}');
      return Object.keys(layer.route.methods).filter((m) => m !== '_all').map((m) => `${m.toUpperCase()} ${template}`);
    }
    return layer.handle.stack ? routesOf(layer.handle.stack, join(layer.rawPath ?? '')) : [];
  });
}
