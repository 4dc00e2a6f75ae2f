import { loadFixtureSnapshot } from '../testing/fixture-repos';
import { planFromFiles } from './heuristic-planner';

describe('planned network access', () => {
  it('asks for egress when the server needs credentials for an online service', () => {
    const plan = planFromFiles(loadFixtureSnapshot('https://github.com/mendableai/firecrawl-mcp-server'));
    expect(plan.network).toBe('egress');
    expect(plan.evidence.network).toEqual(plan.evidence['env.FIRECRAWL_API_KEY']);
  });

  it('keeps a self-contained server off the network', () => {
    const plan = planFromFiles(
      loadFixtureSnapshot('https://github.com/modelcontextprotocol/servers/tree/main/src/memory'),
    );
    expect(plan.network).toBe('none');
  });
});
