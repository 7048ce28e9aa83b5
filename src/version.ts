/** nsh's version, as the bundle build writes it in (package.json's); `0.0.0-dev` unbundled. */
declare const NSH_VERSION: string;

export const version = typeof NSH_VERSION === 'string' ? NSH_VERSION : '0.0.0-dev';
