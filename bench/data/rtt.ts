/**
 * The worldwide RTT matrix of `npm run bench` (section "worldwide"): where users sit, how far each hop is.
 *
 * Public figures as of 2025, transcribed by hand (the bench never fetches them; nothing here needs the network).
 * Each figure names its source; `kind: "estimate"` marks figures no public table gives exactly (bounded by the
 * source named). Round trips, in milliseconds, p50 and p95. Neon's primary and Upstash's primary sit in AWS
 * us-east-1; Upstash Global keeps one read replica per user region (reads go to the nearest replica, writes to the
 * primary). A Cloudflare colo in the same metro as an AWS region is 1–3 ms from it.
 */
import type { Link, Matrix } from "../lib/worldwide.js";

const CLOUDPING =
  "cloudping.co AWS inter-region latency, p50 of the us-east-1 row (2025); cross-checked with WonderNetwork city-pair ping averages";
const SAME_METRO =
  "same metro: Cloudflare colo and AWS region share the city (Cloudflare network map; AWS region list); intra-metro RTT 1–3 ms";
const ACCESS =
  "last mile, user → nearest Cloudflare colo: p95 bounded by Cloudflare's published 'within ~50 ms of ~95% of the Internet-connected population' (cloudflare.com/network, 2025); p50 from fixed-broadband median latencies (FCC Measuring Broadband America; Ookla regional reports)";
const UPSTASH_REGIONS =
  "Upstash docs, Global Database: read regions us-east-1, us-west-1, eu-west-1, ap-southeast-1, sa-east-1 among others; reads served by the nearest replica, writes forwarded to the primary";

const l = (p50: number, p95: number, source: string, kind: Link["kind"] = "public"): Link => ({ p50, p95, source, kind });
const sameMetro = l(2, 4, SAME_METRO, "estimate");
/** user → colo near the user: the same for the Worker and for the first hop to the conventional server */
const access = (p50: number, p95: number) => l(p50, p95, ACCESS, "estimate");
/** colo (or user's metro) → AWS us-east-1, over the provider backbone */
const toUsEast = (p50: number, p95: number) => l(p50, p95, CLOUDPING);

export const rttMatrix: Matrix = {
  asOf: "2025",
  note: "public figures as of 2025 (sources per figure); traffic weights and the request mix are stated assumptions",
  primaries: { neon: "aws:us-east-1", upstash: "aws:us-east-1", conventional: "aws:us-east-1", placementHint: "aws:us-east-1" },
  regions: [
    {
      id: "us-east",
      weight: 0.35,
      colo: "IAD (Ashburn)",
      upstashReplica: "us-east-1 (primary)",
      access: access(12, 40),
      coloToNeon: sameMetro,
      coloToUpstashPrimary: sameMetro,
      coloToUpstashReplica: sameMetro,
      coloToPlacement: sameMetro,
      userToConventional: sameMetro,
    },
    {
      id: "us-west",
      weight: 0.15,
      colo: "SJC (San Jose)",
      upstashReplica: "us-west-1",
      access: access(12, 40),
      coloToNeon: toUsEast(62, 70),
      coloToUpstashPrimary: toUsEast(62, 70),
      coloToUpstashReplica: l(2, 4, `${SAME_METRO}; ${UPSTASH_REGIONS}`, "estimate"),
      coloToPlacement: toUsEast(62, 70),
      userToConventional: toUsEast(62, 70),
    },
    {
      id: "eu-west",
      weight: 0.25,
      colo: "DUB (Dublin)",
      upstashReplica: "eu-west-1",
      access: access(12, 40),
      coloToNeon: toUsEast(68, 76),
      coloToUpstashPrimary: toUsEast(68, 76),
      coloToUpstashReplica: l(2, 4, `${SAME_METRO}; ${UPSTASH_REGIONS}`, "estimate"),
      coloToPlacement: toUsEast(68, 76),
      userToConventional: toUsEast(68, 76),
    },
    {
      id: "ap-southeast",
      weight: 0.15,
      colo: "SIN (Singapore)",
      upstashReplica: "ap-southeast-1",
      access: access(10, 40),
      coloToNeon: toUsEast(215, 232),
      coloToUpstashPrimary: toUsEast(215, 232),
      coloToUpstashReplica: l(2, 4, `${SAME_METRO}; ${UPSTASH_REGIONS}`, "estimate"),
      coloToPlacement: toUsEast(215, 232),
      userToConventional: toUsEast(215, 232),
    },
    {
      id: "sa-east",
      weight: 0.1,
      colo: "GRU (São Paulo)",
      upstashReplica: "sa-east-1",
      access: access(20, 50),
      coloToNeon: toUsEast(115, 125),
      coloToUpstashPrimary: toUsEast(115, 125),
      coloToUpstashReplica: l(2, 4, `${SAME_METRO}; ${UPSTASH_REGIONS}`, "estimate"),
      coloToPlacement: toUsEast(115, 125),
      userToConventional: toUsEast(115, 125),
    },
  ],
  /** the Worker placed at the colo nearest aws:us-east-1: its Neon, Upstash primary and nearest replica are all next door */
  placed: { toNeon: sameMetro, toUpstashPrimary: sameMetro, toUpstashReplica: sameMetro },
  /** the conventional server's own database and Redis: same availability zone */
  conventionalToBackends: l(0.5, 1, "AWS: same-AZ round trips are sub-millisecond (EC2 placement docs)", "estimate"),
};

/**
 * The stated request mix of the headline figure (shares of all requests). "writes" is split evenly over the
 * write routes the bench measures; the edge-cache hit is a separate class (0 in this mix until the hot read's
 * share that the Cache API answers is measured).
 */
export const requestMix: Record<string, number> = {
  "hot read": 0.6,
  "read by key": 0.15,
  "list/search": 0.1,
  write: 0.15,
};
