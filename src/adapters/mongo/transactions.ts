/**
 * Writing a document and its history entry together. Transactions need a replica set member
 * (`setName`) or a mongos router (`msg: 'isdbgrid'`); on a standalone server the work runs
 * without one, and the stores undo what they wrote first when the second write fails.
 */
import type { ClientSession, Db, MongoClient } from 'mongodb';

export type Writer = <T>(work: (session: ClientSession | undefined) => Promise<T>) => Promise<T>;

/** Whether the server takes transactions, and a writer that uses one when it does. */
export async function transactionWriter(client: MongoClient, db: Db): Promise<{ transactional: boolean; inTransaction: Writer }> {
  const hello = await db.admin().command({ hello: 1 });
  const transactional = Boolean(hello.setName) || hello.msg === 'isdbgrid';
  const inTransaction: Writer = transactional
    ? async (work) => {
        const session = client.startSession();
        try {
          return await session.withTransaction(() => work(session));
        } finally {
          await session.endSession();
        }
      }
    : (work) => work(undefined);
  return { transactional, inTransaction };
}
