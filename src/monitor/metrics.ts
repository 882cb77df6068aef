import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Monitor } from './monitor.js';
import type { MonitorSnapshot } from './snapshot.js';

/** How often the event-loop lag of `actorwire_nodejs_eventloop_lag_*` is sampled, ms. */
const EVENT_LOOP_SAMPLE_MS = 100;

type Labels = Record<string, string>;
type Metric = Counter<string> | Gauge<string>;

/** Each metric: its type, help text and labels (docs/MONITOR.md lists them). */
const HELP = {
  actorwire_connections_active: ['gauge', 'Connections served now.', ['service']],
  actorwire_connections_accepted_total: ['counter', 'Connections admitted.', ['service']],
  actorwire_connections_refused_total: ['counter', 'Connections refused by the admission policy.', ['service']],
  actorwire_connections_evicted_total: ['counter', 'Connections closed to admit new ones (evict-idle, evict-handshaking).', ['service']],
  actorwire_connections_held: ['gauge', 'Sockets held unread until a slot frees up.', ['service']],
  actorwire_connections_by_state: ['gauge', "Connections now in each state of the connection machine, e.g. 'open (flowing, idle)'.", ['service', 'state']],
  actorwire_connections_ended_total: ['counter', 'Connections ended, by reason (peer-closed, drained, error, ...).', ['service', 'reason']],
  actorwire_connection_errors_total: ['counter', 'Connections ended by an error, by its code.', ['service', 'code']],
  actorwire_frames_received_total: ['counter', 'Frames received.', ['service']],
  actorwire_frames_sent_total: ['counter', 'Frames sent.', ['service']],
  actorwire_bytes_received_total: ['counter', 'Bytes received.', ['service']],
  actorwire_bytes_sent_total: ['counter', 'Bytes sent.', ['service']],
  actorwire_send_queue_frames: ['gauge', 'Frames waiting in send queues.', ['service']],
  actorwire_send_queue_bytes: ['gauge', 'Bytes waiting in send queues.', ['service']],
  actorwire_rsb_events_total: ['counter', 'Notifications through the bus on each scope (published here or received).', ['bus', 'scope']],
  actorwire_rsb_event_bytes_total: ['counter', 'Bytes of the notifications on each scope.', ['bus', 'scope']],
  actorwire_rsb_latency_seconds: ['gauge', 'Create-to-receive latency over the last sampling interval, by quantile.', ['bus', 'scope', 'quantile']],
  actorwire_rsb_event_size_bytes: ['gauge', 'Notification size over the last sampling interval, by quantile.', ['bus', 'scope', 'quantile']],
  actorwire_rsb_published_total: ['counter', 'Notifications published by this process.', ['bus']],
  actorwire_rsb_notifications_received_total: ['counter', 'Notifications received from peers.', ['bus']],
  actorwire_rsb_forwarded_total: ['counter', 'Notifications a bus server forwarded between its clients.', ['bus']],
  actorwire_rsb_bad_notifications_total: ['counter', 'Frames that were not valid notifications.', ['bus']],
  actorwire_rsb_slow_peers_dropped_total: ['counter', 'Peers cut because they did not read.', ['bus']],
  actorwire_rsb_remote_peers: ['gauge', 'Connections to other processes.', ['bus']],
  actorwire_rsb_local_sinks: ['gauge', 'Local in-connectors (listeners).', ['bus']],
  actorwire_rsb_participants: ['gauge', 'Participants of this process, by kind (informer, listener) and scope.', ['bus', 'kind', 'scope']],
  actorwire_rsb_nats_reconnects_total: ['counter', 'Times the link to NATS came back.', ['bus']],
  actorwire_rsb_nats_lost_total: ['counter', 'Notifications dropped because the NATS reconnect buffer was full.', ['bus']],
  actorwire_rsb_nats_buffered: ['gauge', 'Notifications waiting for NATS to come back.', ['bus']],
  actorwire_obe_requests_total: ['counter', 'OBE requests, by command.', ['service', 'command']],
  actorwire_obe_error_replies_total: ['counter', 'OBE error replies.', ['service']],
  actorwire_obe_runs_total: ['counter', 'OBE runs started.', ['service']],
  actorwire_obe_run_steps: ['gauge', 'Measurements (newdat) in the current run.', ['service']],
  actorwire_obe_particles: ['gauge', 'Particles of the current run.', ['service']],
  actorwire_obe_run_resamples: ['gauge', 'Resamples of the particles in the current run.', ['service']],
  actorwire_obe_effective_sample_size: ['gauge', 'Effective sample size (1/sum of squared weights) of the current run.', ['service']],
  actorwire_obe_parameter_mean: ['gauge', 'Posterior mean of each parameter, as last sampled.', ['service', 'parameter']],
  actorwire_obe_parameter_std: ['gauge', 'Posterior standard deviation of each parameter, as last sampled.', ['service', 'parameter']],
  actorwire_obe_engine_crashes_total: ['counter', 'Engine worker crashes.', ['service']],
  actorwire_masep_episodes_total: ['counter', 'Episodes played.', ['service']],
  actorwire_masep_steps_total: ['counter', 'Steps played.', ['service']],
  actorwire_masep_actions_total: ['counter', 'Actions applied.', ['service']],
  actorwire_masep_observations_sent_total: ['counter', 'Observations sent.', ['service']],
  actorwire_masep_members: ['gauge', 'Interfaces connected, by role (actor, observer).', ['service', 'role']],
  actorwire_masep_last_episode_reward: ['gauge', 'Reward of each agent in the last finished episode.', ['service', 'agent']],
  actorwire_oneline_commands_total: ['counter', 'Lines received, by command name (first word).', ['service', 'command']],
  actorwire_oneline_handler_errors_total: ['counter', 'Command handlers that threw.', ['service']],
} as const satisfies Record<string, readonly [type: 'counter' | 'gauge', help: string, labels: readonly string[]]>;

/** A metric name the monitor exposes (besides prom-client's process metrics, also `actorwire_`). */
export type MetricName = keyof typeof HELP;

/** Every metric name the monitor exposes besides prom-client's process metrics (docs/MONITOR.md). */
export const METRIC_NAMES = Object.keys(HELP) as readonly MetricName[];

/**
 * The monitor's Prometheus metrics, in a registry of their own (prom-client's, not its global
 * one): read from the monitor's latest sample on each scrape, plus prom-client's process metrics
 * with the `actorwire_` prefix. Nothing is counted twice: the values are the sources' own
 * counters.
 *
 * @example
 * ```ts
 * const metrics = new MonitorMetrics(monitor);
 * const text = await metrics.text(); // the body of /metrics
 * ```
 */
export class MonitorMetrics {
  /** The registry (`contentType` is the Prometheus text format's). */
  readonly registry = new Registry();
  private readonly metrics = new Map<MetricName, Metric>();

  constructor(private readonly monitor: Monitor) {
    for (const name of METRIC_NAMES) {
      const [type, help, labelNames] = HELP[name];
      const config = { name, help, labelNames: [...labelNames], registers: [this.registry] };
      this.metrics.set(name, type === 'counter' ? new Counter(config) : new Gauge(config));
    }
    // The event-loop lag histogram samples every EVENT_LOOP_SAMPLE_MS instead of prom-client's
    // 10 ms: a timer that wakes the loop 100 times a second cost an idle server 10-20 ms of CPU a
    // second, and short connections several µs each (docs/MONITOR.md, "What it costs").
    collectDefaultMetrics({ register: this.registry, prefix: 'actorwire_', eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  }

  /** The Prometheus text of every metric now. */
  async text(): Promise<string> {
    this.update(this.monitor.fullSnapshot());
    return this.registry.metrics();
  }

  private set(name: MetricName, labels: Labels, value: number | null | undefined): void {
    if (value === null || value === undefined || !Number.isFinite(value)) return;
    const metric = this.metrics.get(name)!;
    if (metric instanceof Counter) metric.inc(labels, Math.max(0, value));
    else metric.set(labels, value);
  }

  private update(s: MonitorSnapshot): void {
    for (const metric of this.metrics.values()) metric.reset();
    for (const v of s.services) {
      const service = { service: v.name };
      this.set('actorwire_connections_active', service, v.connections.active);
      this.set('actorwire_connections_accepted_total', service, v.connections.acceptedTotal);
      this.set('actorwire_connections_refused_total', service, v.connections.refusedTotal);
      this.set('actorwire_connections_evicted_total', service, v.connections.evictedTotal);
      this.set('actorwire_connections_held', service, v.connections.held);
      for (const [state, n] of Object.entries(v.states)) this.set('actorwire_connections_by_state', { service: v.name, state }, n);
      for (const [reason, n] of Object.entries(v.endsByReason)) this.set('actorwire_connections_ended_total', { service: v.name, reason }, n);
      for (const [code, n] of Object.entries(v.errorsByCode)) this.set('actorwire_connection_errors_total', { service: v.name, code }, n);
      this.set('actorwire_frames_received_total', service, v.traffic.framesInTotal);
      this.set('actorwire_frames_sent_total', service, v.traffic.framesOutTotal);
      this.set('actorwire_bytes_received_total', service, v.traffic.bytesInTotal);
      this.set('actorwire_bytes_sent_total', service, v.traffic.bytesOutTotal);
      this.set('actorwire_send_queue_frames', service, v.traffic.queuedFrames);
      this.set('actorwire_send_queue_bytes', service, v.traffic.queuedBytes);
    }
    for (const b of s.buses) {
      const bus = { bus: b.name };
      this.set('actorwire_rsb_published_total', bus, b.publishedTotal);
      this.set('actorwire_rsb_notifications_received_total', bus, b.notificationsInTotal);
      this.set('actorwire_rsb_forwarded_total', bus, b.forwardedTotal);
      this.set('actorwire_rsb_bad_notifications_total', bus, b.badNotificationsTotal);
      this.set('actorwire_rsb_slow_peers_dropped_total', bus, b.slowPeersDroppedTotal);
      this.set('actorwire_rsb_remote_peers', bus, b.remotePeers);
      this.set('actorwire_rsb_local_sinks', bus, b.localSinks);
      for (const p of b.participants) this.set('actorwire_rsb_participants', { bus: b.name, kind: p.kind, scope: p.scope }, p.count);
      this.set('actorwire_rsb_nats_reconnects_total', bus, b.nats?.reconnectsTotal);
      this.set('actorwire_rsb_nats_lost_total', bus, b.nats?.lostTotal);
      this.set('actorwire_rsb_nats_buffered', bus, b.nats?.buffered);
    }
    for (const c of s.scopes.items) {
      const scope = { bus: c.bus, scope: c.scope };
      this.set('actorwire_rsb_events_total', scope, c.eventsTotal);
      this.set('actorwire_rsb_event_bytes_total', scope, c.bytesTotal);
      for (const [quantile, ms] of [['0.5', c.latencyMs.p50], ['0.99', c.latencyMs.p99]] as const) {
        this.set('actorwire_rsb_latency_seconds', { ...scope, quantile }, ms === null ? null : ms / 1000);
      }
      for (const [quantile, bytes] of [['0.5', c.size.p50], ['0.99', c.size.p99]] as const) this.set('actorwire_rsb_event_size_bytes', { ...scope, quantile }, bytes);
    }
    for (const o of s.obe) {
      const service = { service: o.name };
      for (const [command, n] of Object.entries(o.byCommand)) this.set('actorwire_obe_requests_total', { service: o.name, command }, n);
      this.set('actorwire_obe_error_replies_total', service, o.errorRepliesTotal);
      this.set('actorwire_obe_runs_total', service, o.run.runsTotal);
      this.set('actorwire_obe_run_steps', service, o.run.steps);
      this.set('actorwire_obe_particles', service, o.run.particles);
      this.set('actorwire_obe_run_resamples', service, o.run.resamples);
      this.set('actorwire_obe_effective_sample_size', service, o.run.effectiveSampleSize);
      this.set('actorwire_obe_engine_crashes_total', service, o.engineCrashesTotal);
      o.run.parameters.forEach((parameter, p) => {
        this.set('actorwire_obe_parameter_mean', { service: o.name, parameter }, o.series.mean[p]?.at(-1));
        this.set('actorwire_obe_parameter_std', { service: o.name, parameter }, o.series.std[p]?.at(-1));
      });
    }
    for (const m of s.masep) {
      const service = { service: m.name };
      this.set('actorwire_masep_episodes_total', service, m.episodesTotal);
      this.set('actorwire_masep_steps_total', service, m.stepsTotal);
      this.set('actorwire_masep_actions_total', service, m.actionsAppliedTotal);
      this.set('actorwire_masep_observations_sent_total', service, m.observationsSentTotal);
      const roles: Record<string, number> = {};
      for (const member of m.members) roles[member.role] = (roles[member.role] ?? 0) + 1;
      for (const [role, n] of Object.entries(roles)) this.set('actorwire_masep_members', { service: m.name, role }, n);
      for (const [agent, reward] of Object.entries(m.episodes.at(-1)?.rewards ?? {})) this.set('actorwire_masep_last_episode_reward', { service: m.name, agent }, reward);
    }
    for (const o of s.oneline) {
      for (const c of o.commands) this.set('actorwire_oneline_commands_total', { service: o.name, command: c.name }, c.total);
      this.set('actorwire_oneline_handler_errors_total', { service: o.name }, o.handlerErrorsTotal);
    }
  }
}
