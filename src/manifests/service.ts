// Kubernetes Services that PureLB could act on: LoadBalancers, and anything with purelb.io annotations.
import { z } from 'zod';
import type { Resource } from './resource.ts';

export const serviceSchema = z
  .object({
    metadata: z.object({ name: z.string({ error: 'metadata.name is required' }) }).loose(),
    spec: z
      .object({
        type: z.string().optional(),
        loadBalancerClass: z.string().optional(),
        loadBalancerIP: z.string().optional(),
        externalTrafficPolicy: z.string().optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

export type ServiceSpec = NonNullable<z.infer<typeof serviceSchema>['spec']>;
export type Service = { res: Resource; spec: ServiceSpec };

export const PURELB_ANNOTATIONS = {
  serviceGroup: 'purelb.io/service-group',
  addresses: 'purelb.io/addresses',
  allowShared: 'purelb.io/allow-shared-ip',
} as const;

export const isLoadBalancer = (s: Service): boolean => s.spec.type === 'LoadBalancer';
export const hasPureLbAnnotation = (s: Service): boolean =>
  Object.keys(s.res.annotations).some((k) => k.startsWith('purelb.io/'));
