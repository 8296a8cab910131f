import Testing
import FeatureEnrich
struct PlaceholderFeatureEnrichTests { @Test func moduleLinks() { #expect(Bool(true)) } }
