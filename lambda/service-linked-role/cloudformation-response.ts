import { request as httpRequest } from 'http';
import { request as httpsRequest } from 'https';
import type { CloudFormationCustomResourceResponse } from 'aws-lambda';

/**
 * Sends a custom resource's answer to CloudFormation: a PUT of the JSON response to the event's pre-signed
 * ResponseURL. The content type is empty because the URL is signed without one (as cfn-response does).
 */
export function sendResponse(responseUrl: string, response: CloudFormationCustomResourceResponse): Promise<void> {
  const url = new URL(responseUrl);
  const body = JSON.stringify(response);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<void>((resolve, reject) => {
    const put = request(url, {
      method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
      timeout: 10_000,
    }, (answer) => {
      answer.resume();
      answer.on('end', () => {
        const status = answer.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve();
        else reject(new Error(`CloudFormation's response URL answered HTTP ${status}`));
      });
    });
    put.on('timeout', () => put.destroy(new Error('CloudFormation\'s response URL did not answer within 10 seconds')));
    put.on('error', reject);
    put.end(body);
  });
}
