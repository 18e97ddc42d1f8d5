import { webServerUserData } from '../../lib/constructs/web-server';

/** The page the web servers' user data writes for Apache, as one instance serves it. */
export function webServerPage(instanceId: string, zone = 'us-east-1a'): string {
  const script = webServerUserData('Hello from the lab').render();
  const page = /<<EOF\n([\s\S]*?)\nEOF/.exec(script);
  if (!page) throw new Error(`the user data no longer writes the page with a here-document:\n${script}`);
  return page[1].replace(/\$INSTANCE_ID/g, instanceId).replace(/\$ZONE/g, zone);
}
