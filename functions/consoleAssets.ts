import { defineHttp } from '../shared/app/functions';
import { findAsset } from '../shared/console/assets';
import { CONSOLE_SECURITY_HEADERS } from '../shared/console/http';

/** `GET /api/console/assets/{name}`: the console's stylesheet and script (no data in them, so no sign-in needed). */
export const consoleAssets = defineHttp({
  name: 'consoleAssets',
  route: 'console/assets/{name}',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: async (request) => {
    const asset = findAsset(request.params.name ?? '');
    if (!asset) return { status: 404, headers: CONSOLE_SECURITY_HEADERS, body: 'not found' };
    return {
      status: 200,
      headers: {
        ...CONSOLE_SECURITY_HEADERS,
        'content-type': asset.contentType,
        // Content-hashed names: a new version has a new name, so the old one may be kept for a year.
        'cache-control': 'public, max-age=31536000, immutable',
      },
      body: asset.body,
    };
  },
});
