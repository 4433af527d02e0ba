/**
 * Links into Halo's agent web app for what the console names. Halo publishes no URL scheme for its web app; these
 * paths are the ones its agent app uses (seen in a public browser extension for Halo: `/tickets?id=`,
 * `/customers?clientid=`, `/customers?mainview=user&userid=`, `/customers?mainview=site&siteid=`), on the host of
 * HALO_BASE_URL. An assumption, named in the README.
 */
export interface HaloLinks {
  ticket(id: number): string;
  user(id: number): string;
  company(id: number): string;
  site(id: number): string;
}

export function haloLinks(haloBaseUrl: string): HaloLinks {
  const base = haloBaseUrl.replace(/\/+$/, '').replace(/\/api$/i, '');
  return {
    ticket: (id) => `${base}/tickets?id=${id}`,
    user: (id) => `${base}/customers?mainview=user&userid=${id}`,
    company: (id) => `${base}/customers?clientid=${id}`,
    site: (id) => `${base}/customers?mainview=site&siteid=${id}`,
  };
}
