/** Default system configurations (Node-safe: the seed script imports it too). */
import type { ConfigValueType, NewSystemConfiguration } from "./schema";

/** The seed's rows (email delays, API limits) and the ones this module adds where the seed is silent. */
export const DEFAULT_CONFIGURATIONS: (NewSystemConfiguration & { valueType: ConfigValueType })[] = [
  { category: "email", key: "trial_day_2_delay", value: "2 days", valueType: "duration", description: "Delay for day 2 trial email" },
  { category: "email", key: "trial_day_5_delay", value: "5 days", valueType: "duration", description: "Delay for day 5 trial email" },
  { category: "email", key: "trial_expiry_delay", value: "7 days", valueType: "duration", description: "Delay for trial expiry email" },
  { category: "api", key: "max_api_calls_testing", value: "1", valueType: "number", description: "API call limit for testing" },
  { category: "api", key: "max_api_calls_production", value: "999", valueType: "number", description: "API call limit for production" },
  { category: "api", key: "max_results_testing", value: "100", valueType: "number", description: "Target results cap for testing" },
  { category: "api", key: "max_results_production", value: "1000", valueType: "number", description: "Target results cap for production" },
  {
    category: "api",
    key: "job_timeout",
    value: "1 hour",
    valueType: "duration",
    description: "A scraping job not finished this long after creation times out",
  },
  { category: "trial", key: "trial_length", value: "7 days", valueType: "duration", description: "Length of a free trial" },
];
