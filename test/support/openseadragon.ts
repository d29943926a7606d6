/**
 * The tile requests OpenSeadragon makes for an info.json, level by level — the engine of Mirador
 * and the Universal Viewer. Follows IIIFTileSource of openseadragon 5.0.1 (node_modules/
 * openseadragon/build/openseadragon/openseadragon.js: the constructor's maxLevel and
 * levelSizes, getNumTiles, getTileUrl for version 3), for one `tiles` entry, square tiles.
 */
interface Info {
  width: number;
  height: number;
  sizes?: { width: number; height: number }[];
  tiles: { width: number; height?: number; scaleFactors: number[] }[];
}

/** `{region}/{size}/0/default.jpg` of every tile of every level, smallest level first. */
export function openSeadragonRequests(info: Info): string[] {
  const tileWidth = info.tiles[0]!.width;
  const tileHeight = info.tiles[0]!.height ?? tileWidth;
  const maxLevel = Math.round(Math.log(Math.max(...info.tiles[0]!.scaleFactors)) * Math.LOG2E);
  // The sizes are taken for the levels when there are as many of them as levels (the full size
  // included or not).
  let levelSizes: { width: number; height: number }[] | undefined;
  if (info.sizes && (info.sizes.length === maxLevel || info.sizes.length === maxLevel + 1)) {
    levelSizes = [...info.sizes].sort((a, b) => a.width - b.width);
    if (info.sizes.length === maxLevel) levelSizes.push({ width: info.width, height: info.height });
  }
  const requests: string[] = [];
  for (let level = 0; level <= maxLevel; level++) {
    const scale = 0.5 ** (maxLevel - level);
    const levelWidth = levelSizes ? levelSizes[level]!.width : Math.ceil(info.width * scale);
    const levelHeight = levelSizes ? levelSizes[level]!.height : Math.ceil(info.height * scale);
    const columns = levelSizes ? Math.ceil(levelWidth / tileWidth) : Math.ceil((scale * info.width) / tileWidth);
    const rows = levelSizes ? Math.ceil(levelHeight / tileHeight) : Math.ceil((scale * info.height) / tileHeight);
    const regionWidth = Math.round(tileWidth / scale);
    const regionHeight = Math.round(tileHeight / scale);
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < columns; x++) {
        let region: string;
        let size: string;
        if (levelWidth < tileWidth && levelHeight < tileHeight) {
          region = 'full';
          size = levelWidth === info.width && levelHeight === info.height ? 'max' : `${levelWidth},${levelHeight}`;
        } else {
          const rx = x * regionWidth;
          const ry = y * regionHeight;
          const rw = Math.min(regionWidth, info.width - rx);
          const rh = Math.min(regionHeight, info.height - ry);
          region = x === 0 && y === 0 && rw === info.width && rh === info.height ? 'full' : `${rx},${ry},${rw},${rh}`;
          const sw = Math.min(tileWidth, levelWidth - x * tileWidth);
          const sh = Math.min(tileHeight, levelHeight - y * tileHeight);
          size = sw === info.width && sh === info.height ? 'max' : `${sw},${sh}`;
        }
        requests.push(`${region}/${size}/0/default.jpg`);
      }
    }
  }
  return requests;
}
