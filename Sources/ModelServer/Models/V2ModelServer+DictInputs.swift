import ServingGraph

extension V2ModelServer {
    /// The event of an `infer_dict` / `predict_dict` request rewritten as a plain `infer` request
    /// (MLRun's `_inputs_to_list`, reference/mlrun.md §1.4): `inputs` as a list of objects becomes a
    /// list of lists and a single object one list, each ordered by ``featureNames``; keys not named
    /// there are ignored.
    ///
    /// Throws ``ServingError/invalidInput(_:)`` (400) when the model declares no feature names, when
    /// `inputs` is missing or neither an object nor a list of objects, and when a row lacks a
    /// feature (the message lists the expected keys).
    func dictInputsConverted(_ event: Event) throws -> Event {
        guard let names = featureNames, !names.isEmpty else {
            throw ServingError.invalidInput(
                "model '\(modelName)' declares no input feature names, which infer_dict needs to order "
                    + "the inputs (set feature_names in class_args or in the model file)")
        }
        guard case .object(var body) = event.body, let inputs = body["inputs"] else {
            throw ServingError.invalidInput(#"Expected key "inputs" in request body"#)
        }
        let converted: Value
        switch inputs {
        case .object(let row):
            converted = try Self.ordered(row, names: names, row: nil)
        case .array(let rows):
            var lists: [Value] = []
            lists.reserveCapacity(rows.count)
            for (index, item) in rows.enumerated() {
                guard case .object(let row) = item else {
                    throw ServingError.invalidInput(
                        "infer_dict: inputs[\(index)] is \(item.typeName), expected an object keyed by "
                            + "feature names (\(names.joined(separator: ", ")))")
                }
                lists.append(try Self.ordered(row, names: names, row: index))
            }
            converted = .array(lists)
        default:
            throw ServingError.invalidInput(
                "infer_dict: inputs is \(inputs.typeName), expected an object or a list of objects")
        }
        body["inputs"] = converted
        if body["operation"] != nil { body["operation"] = "infer" }
        var output = event
        output.body = .object(body)
        output.path = "infer"
        return output
    }

    /// The values of `object` in the order of `names`; a missing key fails naming it and the expected keys.
    private static func ordered(_ object: ValueObject, names: [String], row: Int?) throws -> Value {
        var values: [Value] = []
        values.reserveCapacity(names.count)
        for name in names {
            guard let value = object[name] else {
                let subject = row.map { "inputs[\($0)]" } ?? "inputs"
                throw ServingError.invalidInput(
                    "infer_dict: \(subject) has no key '\(name)'; expected keys: \(names.joined(separator: ", "))")
            }
            values.append(value)
        }
        return .array(values)
    }
}
