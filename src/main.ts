/** Composition root: loadConfig → createAdapters → services → createApp → listen. */
import { createApp } from './app.js';
import { createAdapters } from './adapters/create-adapters.js';
import { ConfigError, loadConfig } from './config.js';
import { loadDemoCatalogue } from './demo/demo-catalogue.js';
import { resumeDemoText, verifyDemoText } from './demo/demo-text.js';
import { createServices } from './services/services.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const adapters = await createAdapters(config);
  const { store, search } = adapters;
  const services = createServices(adapters, config);

  // Before anything runs or is received: end the jobs a stopped process left, sweep its
  // uploads, and make page counts true (a kill between a page and its note leaves them stale).
  const [scans, imports, swept] = [await services.scans.recover(), await services.sheets.recover(), await adapters.files.sweepReceiving()];
  // OCR jobs a stopped process left go on from the pages they had not read.
  const ocrResumed = await services.texts.recover();
  if (ocrResumed > 0) console.log(`Start-up check: ${ocrResumed} OCR jobs resumed.`);
  if (scans.failed + imports + swept + scans.recounted > 0) {
    console.log(`Start-up check: ${scans.failed} scan and ${imports} import jobs left unfinished ended as failed; `
      + `${scans.recounted} page counts corrected; ${swept} files swept from receiving/.`);
  }

  const admin = await services.auth.bootstrapAdmin(config.adminUser, config.adminPassword);
  if (admin.generatedPassword) {
    console.log(`Created the admin account "${config.adminUser}" with the password: ${admin.generatedPassword}`);
    console.log('It is shown only this once. Set GUJI_ADMIN_PASSWORD on first start to choose it yourself.');
  } else if (admin.created) {
    console.log(`Created the admin account "${config.adminUser}".`);
  }
  const demoAdmin = { username: config.adminUser, role: 'admin', unit: null } as const;
  const log = (message: string) => console.log(message);
  if (config.demo && (await store.records.count()) === 0 && (await store.units.list()).length === 0) {
    const t = Date.now();
    const n = await loadDemoCatalogue(services, demoAdmin);
    console.log(`Loaded the demo catalogue: ${n} records in ${Date.now() - t} ms (GUJI_DEMO=0 starts empty).`);
    // Its book's text is laid on the OCR drafts in the background: the start does not wait for
    // OCR. With GUJI_OCR=0 (no OCR of uploaded scans) the demo still reads its own four pages,
    // once, on this first start: the transcription needs the drafts' boxes, and the demo is
    // there to show the text search. Where OCR cannot run, the demo stays without text (said).
    void verifyDemoText(services, demoAdmin, { startOcr: !config.ocr.auto, log });
  } else if (config.demo) {
    // The first start stopped before the demo's text was laid on: done now (nothing otherwise).
    void resumeDemoText(services, adapters, demoAdmin, log);
  }
  // The index catches up with writes it has not seen (after a crash, or an index rebuilt elsewhere).
  await services.indexer.catchUp();
  services.indexer.start();
  await services.textSearch.ready();
  services.textSearch.start();
  if (config.dumpHours > 0) services.openData?.schedule(config.dumpHours);

  const app = createApp(services, config);
  const server = app.listen(config.port, () => {
    console.log(`guji serving ${config.publicBaseUrl} (store: ${store.description}; search: ${search.description})`);
  });
  let stopping = false;
  // Graceful stop: no new connections or jobs; running scan batches and imports finish the file
  // or row in hand and say they were interrupted; in-flight requests end; then the stores close.
  // Past GUJI_SHUTDOWN_SECONDS the jobs still in a file or row are kept as interrupted and the
  // process exits anyway: the next start ends them and makes the page counts true.
  const shutdown = async (signal: string) => {
    // Under npm a Ctrl-C arrives twice (from the terminal and forwarded by npm): one stop only.
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: letting running jobs finish the file or row in hand (at most ${config.shutdownSeconds} s), then closing`);
    setTimeout(() => process.exit(1), (config.shutdownSeconds + 10) * 1000).unref();
    const reason = `the service was stopped (${signal})`;
    const closed = new Promise((resolve) => server.close(resolve));
    const drained = Promise.all([services.scans.stop(reason), services.sheets.stop(reason), services.texts.stop(reason), closed]).then(() => true);
    const deadline = new Promise<false>((resolve) => setTimeout(resolve, config.shutdownSeconds * 1000, false).unref());
    if (!(await Promise.race([drained, deadline]))) {
      const late = `${reason} and its ${config.shutdownSeconds} s for finishing ran out`;
      await Promise.all([services.scans.abandon(late), services.sheets.abandon(late)]);
      server.closeAllConnections();
    }
    services.indexer.stop();
    services.textSearch.stop();
    await services.openData?.stop();
    await services.textSearch.settled();
    await Promise.all([store.close(), search.close(), adapters.texts.close(), adapters.exhibits.close(), adapters.textSearch.close()]);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((e: unknown) => {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
});
