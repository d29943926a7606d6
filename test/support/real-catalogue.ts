/** The real records of the demo catalogue (src/demo/demo-catalogue.ts), published and indexed, for search tests. */
import { REAL_RECORDS } from '../../src/demo/demo-catalogue.js';
import { ADMIN_PASSWORD, type TestServer } from './http.js';
import { publish } from './texts.js';

export async function publishRealRecords(server: TestServer): Promise<void> {
  const admin = await server.login('admin', ADMIN_PASSWORD);
  await server.call('POST', '/api/units', { token: admin, body: { province: '110000', code: '0101', name: '國家圖書館' } });
  for (const record of REAL_RECORDS) {
    await server.call('POST', '/api/records', { token: admin, body: record });
    await publish(server, record.censusNumber, admin, admin);
  }
  await server.services.indexer.catchUp();
}
