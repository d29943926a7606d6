/** Composition root: loadConfig → createAdapters → services → createApp → listen. */
import { createApp, type Services } from './app.js';
import { createAdapters } from './adapters/create-adapters.js';
import { ConfigError, loadConfig } from './config.js';
import { loadDemoCatalogue } from './demo/demo-catalogue.js';
import { AuthService } from './services/auth-service.js';
import { RecordService } from './services/record-service.js';
import { UnitService } from './services/unit-service.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const { store } = await createAdapters(config);
  const services: Services = {
    auth: new AuthService(store, config.sessionHours),
    records: new RecordService(store, config.vocabulary),
    units: new UnitService(store),
    storeDescription: store.description,
  };

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
  if (config.meiliUrl) console.warn('MEILI_URL is set, but search is not built yet; it is ignored for now.');

  const app = createApp(services, config);
  const server = app.listen(config.port, () => {
    console.log(`guji serving ${config.publicBaseUrl} (store: ${store.description}, data: ${config.dataDir})`);
  });
  const shutdown = (signal: string) => {
    console.log(`${signal}: closing`);
    server.close(() => void store.close().then(() => process.exit(0)));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((e: unknown) => {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
});
