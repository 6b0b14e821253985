/** What one provider's calls are offered: its languages, and the flow's settings for it. */
import type { Config } from "../config.ts";
import type { FlowSettings } from "../ivr/ports.ts";
import type { ProviderLine } from "./settings.ts";
import type { VoiceProvider } from "./provider.ts";

export function lineFor(provider: VoiceProvider, config: Config): ProviderLine {
  if (provider.name === "twilio") return { languages: config.languages };
  return config.providers[provider.name];
}

/**
 * The flow's settings on this provider: its languages; speech only where it hears speech; the
 * reason for the visit only where it records (its webhooks under the provider's prefix).
 */
export function flowSettings(provider: VoiceProvider, config: Config, origin: string): FlowSettings {
  const { reason, ...rest } = config;
  return {
    ...rest,
    languages: lineFor(provider, config).languages,
    speechLanguages: provider.hearsSpeech ? config.speechLanguages : [],
    ...(provider.records ? { reason: { ...reason, origin } } : {}),
  };
}
