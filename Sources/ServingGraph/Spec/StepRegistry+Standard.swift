extension StepRegistry {
    /// A registry holding the built-in steps under their spec class names: `Rename`, `Select`,
    /// `Defaults`, `DropFeatures`, `ToTensor`, `Compute`, `MapValues`, `Imputer`, `OneHotEncoder`,
    /// `DateExtractor`, `AppendJSONL`, and the default router (`""`).
    public static var standard: StepRegistry {
        var registry = StepRegistry()
        registry.register("Rename") { args, context in try RenameStep(name: context.name, arguments: args) }
        registry.register("Select") { args, context in try SelectStep(name: context.name, arguments: args) }
        registry.register("Defaults") { args, context in try DefaultsStep(name: context.name, arguments: args) }
        registry.register("DropFeatures") { args, context in try DropFeaturesStep(name: context.name, arguments: args) }
        registry.register("ToTensor") { args, context in try ToTensorStep(name: context.name, arguments: args) }
        registry.register("Compute") { args, context in try ComputeStep(name: context.name, arguments: args) }
        registry.register("MapValues") { args, context in try MapValuesStep(name: context.name, arguments: args) }
        registry.register("Imputer") { args, context in try ImputerStep(name: context.name, arguments: args) }
        registry.register("OneHotEncoder") { args, context in
            try OneHotEncoderStep(name: context.name, arguments: args)
        }
        registry.register("DateExtractor") { args, context in
            try DateExtractorStep(name: context.name, arguments: args)
        }
        registry.register("AppendJSONL") { args, context in try AppendJSONLStep(name: context.name, arguments: args) }
        return registry
    }
}
