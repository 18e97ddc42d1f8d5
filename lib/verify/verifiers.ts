import type { LabVerifier } from './lab-verifier';
import type { VerifiedLab } from './verified-labs';

/**
 * The checks of each lab, by stack name, loaded on first use: a verifier loads the AWS SDK clients of its lab's
 * services, and a run checks one lab.
 */
const VERIFIERS: Readonly<Record<VerifiedLab, () => LabVerifier>> = {
  Ec2WebServerLab: () => (
    require('./labs/ec2-web-server') as typeof import('./labs/ec2-web-server')
  ).ec2WebServerVerifier,
  Ec2AsgAlbLab: () => (require('./labs/ec2-asg-alb') as typeof import('./labs/ec2-asg-alb')).ec2AsgAlbVerifier,
  LambdaUsersLab: () => (require('./labs/lambda-users') as typeof import('./labs/lambda-users')).lambdaUsersVerifier,
  FargateServiceLab: () => (
    require('./labs/fargate-service') as typeof import('./labs/fargate-service')
  ).fargateServiceVerifier,
  BeanstalkAppLab: () => (
    require('./labs/beanstalk-app') as typeof import('./labs/beanstalk-app')
  ).beanstalkAppVerifier,
  S3UploadsLab: () => (require('./labs/s3-uploads') as typeof import('./labs/s3-uploads')).s3UploadsVerifier,
  EcsEventTasksLab: () => (
    require('./labs/ecs-event-tasks') as typeof import('./labs/ecs-event-tasks')
  ).ecsEventTasksVerifier,
  SqsWorkersLab: () => (require('./labs/sqs-workers') as typeof import('./labs/sqs-workers')).sqsWorkersVerifier,
};

export function loadVerifier(lab: VerifiedLab): LabVerifier {
  return VERIFIERS[lab]();
}
