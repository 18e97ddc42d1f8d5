import { DescribeConfigurationSettingsCommand, DescribeEnvironmentsCommand } from '@aws-sdk/client-elastic-beanstalk';
import { expectPage } from '../http';
import { LabVerifier, VerifyContext } from '../lab-verifier';

/** The chapter's tests: the environment is healthy, and the page's heading is in the configured APP_COLOR. */
export const beanstalkAppVerifier: LabVerifier = {
  outputs: ['Url', 'ApplicationName', 'EnvironmentName'],
  checks: (context) => ({
    checks: [
      {
        name: 'the environment is ready and healthy',
        run: async () => {
          const { Environments = [] } = await context.aws.elasticBeanstalk.send(new DescribeEnvironmentsCommand({
            ApplicationName: context.outputs.ApplicationName,
            EnvironmentNames: [context.outputs.EnvironmentName],
          }));
          const environment = Environments[0];
          if (!environment) throw new Error(`no environment ${context.outputs.EnvironmentName}`);
          const seen = `status ${environment.Status}, health ${environment.Health}`
            + `${environment.HealthStatus ? ` (${environment.HealthStatus})` : ''}`;
          if (environment.Status !== 'Ready' || environment.Health !== 'Green') throw new Error(seen);
          return seen;
        },
      },
      {
        name: 'the page shows the heading in APP_COLOR',
        run: async () => {
          const color = await appColor(context);
          const heading = new RegExp(`<h1 style="color: ${color.replace(/[^A-Za-z0-9#]/g, '')};">`);
          await expectPage(context.outputs.Url, heading);
          return `${context.outputs.Url} has the heading in ${color}`;
        },
      },
    ],
  }),
};

/** The APP_COLOR environment property the environment runs with. */
async function appColor({ aws, outputs }: VerifyContext): Promise<string> {
  const { ConfigurationSettings = [] } = await aws.elasticBeanstalk.send(new DescribeConfigurationSettingsCommand({
    ApplicationName: outputs.ApplicationName,
    EnvironmentName: outputs.EnvironmentName,
  }));
  const setting = ConfigurationSettings.flatMap((settings) => settings.OptionSettings ?? [])
    .find((option) => option.Namespace === 'aws:elasticbeanstalk:application:environment'
      && option.OptionName === 'APP_COLOR');
  if (!setting?.Value) throw new Error('the environment has no APP_COLOR property');
  return setting.Value;
}
