/** Reading IIIF manifests of other sites, for exhibit items (adapter: src/adapters/web/remote-manifests.ts). */
export interface RemoteManifests {
  /** The manifest's JSON. Throws RemoteManifestError saying why it could not be read. */
  fetch(url: string): Promise<unknown>;
}

/** Why a manifest URL could not be read: for the curator, without the server's internals. */
export class RemoteManifestError extends Error {}
