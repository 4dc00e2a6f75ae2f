import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The gateway's Prometheus metrics, on a registry of their own (one per application, so that tests can run several):
 * tool calls and errors per server, call latency per server, live sessions, live backend containers.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly toolCalls = new Counter({
    name: 'mcp_router_tool_calls_total',
    help: 'Tool calls through the gateway, by server and outcome',
    labelNames: ['server', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly toolErrors = new Counter({
    name: 'mcp_router_tool_call_errors_total',
    help: 'Tool calls that failed (tool error, backend failure or protocol error), by server',
    labelNames: ['server'] as const,
    registers: [this.registry],
  });
  readonly toolLatency = new Histogram({
    name: 'mcp_router_tool_call_duration_seconds',
    help: 'Latency of tool calls through the gateway, by server',
    labelNames: ['server'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly liveSessions = new Gauge({
    name: 'mcp_router_live_sessions',
    help: 'Open MCP client sessions',
    registers: [this.registry],
  });
  readonly liveBackends = new Gauge({
    name: 'mcp_router_live_containers',
    help: 'Backend containers (and remote connections) held by live sessions, by server',
    labelNames: ['server'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'mcp_router_' });
  }

  /** The exposition text for `/metrics`. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
