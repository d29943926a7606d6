/** Composition root: loadConfig → createAdapters → services → createApp → listen. */
import { createApp } from './app.js';
import { createAdapters } from './adapters/create-adapters.js';
import { ConfigError, loadConfig } from './config.js';
import { loadDemoCatalogue } from './demo/demo-catalogue.js';
import { createServices } from './services/services.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const adapters = await createAdapters(config);
  const { store, search } = adapters;
  const services = createServices(adapters, config);

  const admin = await services.auth.bootstrapAdmin(config.adminUser, config.adminPassword);
  if (admin.generatedPassword) {
    console.log(`Created the admin account "${config.adminUser}" with the password: ${admin.generatedPassword}`);
    console.log('It is shown only this once. Set GUJI_ADMIN_PASSWORD on first start to choose it yourself.');
  } else if (admin.created) {
    console.log(`Created the admin account "${config.adminUser}".`);
  }
  if (config.demo && (await store.records.count()) === 0 && (await store.units.list()).length === 0) {
    const t = Date.now();
    const n = await loadDemoCatalogue(services, { username: config.adminUser, role: 'admin', unit: null });
    console.log(`Loaded the demo catalogue: ${n} records in ${Date.now() - t} ms (GUJI_DEMO=0 starts empty).`);
  }
  // The index catches up with writes it has not seen (after a crash, or an index rebuilt elsewhere).
  await services.indexer.catchUp();
  services.indexer.start();

  const app = createApp(services, config);
  const server = app.listen(config.port, () => {
    console.log(`guji serving ${config.publicBaseUrl} (store: ${store.description}; search: ${search.description})`);
  });
  const shutdown = (signal: string) => {
    console.log(`${signal}: closing`);
    services.indexer.stop();
    server.close(() => void Promise.all([store.close(), search.close()]).then(() => process.exit(0)));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((e: unknown) => {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
});
