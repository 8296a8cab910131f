import ServingGraph

#if canImport(Glibc)
    import Glibc
#endif

/// The trees of an XGBoost model as written by `Booster.save_model("m.json")`, flattened into one
/// node array for prediction, plus the objective and `base_score` (which `dump_model` lacks).
///
/// Follows XGBoost's predictor: features are compared as `Float` (`x < split_condition` goes
/// left, a missing value (NaN) takes `default_left`), a leaf's value is its `split_condition`,
/// a row's margin is the base margin plus its leaves (per class group in `tree_info`), and the
/// objective transforms the margin (sigmoid for `binary:logistic`/`reg:logistic`, softmax for
/// `multi:softprob`).
struct XGBoostForest: Sendable {
    /// The objectives served.
    enum Objective: String, Sendable {
        case binaryLogistic = "binary:logistic"
        case regLogistic = "reg:logistic"
        case binaryLogitRaw = "binary:logitraw"
        case squaredError = "reg:squarederror"
        case linear = "reg:linear"
        case absoluteError = "reg:absoluteerror"
        case multiSoftprob = "multi:softprob"
        case multiSoftmax = "multi:softmax"
    }

    struct Node: Sendable {
        /// Global index of the left child, -1 for a leaf.
        var left: Int32
        var right: Int32
        var feature: Int32
        /// Split threshold, or the leaf value.
        var value: Float
        var defaultLeft: Bool
    }

    let objective: Objective
    let features: Int
    /// Output groups: classes for multi-class objectives, else 1.
    let groups: Int
    /// Margin each group starts from (base_score on the margin scale).
    let baseMargins: [Double]
    let nodes: [Node]
    /// Index of each tree's root in `nodes`.
    let roots: [Int]
    /// Output group of each tree.
    let treeGroups: [Int]

    init(_ document: Value, path: String) throws {
        func field(_ value: Value?, _ key: String) throws -> Value {
            guard let value else { throw ModelFileError.invalidField(path: path, key: key, reason: "missing") }
            return value
        }
        let learner = try field(document["learner"], "learner")
        let params = try field(learner["learner_model_param"], "learner.learner_model_param")
        let objectiveName = try field(learner["objective"]?["name"], "learner.objective.name").stringValue ?? ""
        guard let objective = Objective(rawValue: objectiveName) else {
            throw ModelFileError.invalidField(
                path: path, key: "learner.objective.name", reason: "objective '\(objectiveName)' is not supported")
        }
        self.objective = objective
        let featureCount = Int(params["num_feature"]?.stringValue ?? "") ?? 0
        features = featureCount
        let classes = Int(params["num_class"]?.stringValue ?? "0") ?? 0
        let groupCount = max(1, classes)
        groups = groupCount
        let scores = try Self.baseScores(params["base_score"], path: path)
        let margins = scores.map { score -> Double in
            switch objective {
            case .binaryLogistic, .regLogistic, .binaryLogitRaw: return log(score / (1 - score))
            default: return score
            }
        }
        baseMargins = margins.count == groupCount ? margins : [Double](repeating: margins.first ?? 0, count: groupCount)
        let booster = try field(learner["gradient_booster"], "learner.gradient_booster")
        guard booster["name"]?.stringValue == "gbtree", let model = booster["model"] else {
            throw ModelFileError.invalidField(
                path: path, key: "learner.gradient_booster.name", reason: "only the gbtree booster is supported")
        }
        let trees = try field(model["trees"], "learner.gradient_booster.model.trees").arrayValue ?? []
        let info = try ModelFile.numbers(model["tree_info"], path: path, key: "tree_info").map { Int($0) }
        guard info.count == trees.count, info.allSatisfy({ $0 >= 0 && $0 < groupCount }) else {
            throw ModelFileError.invalidField(path: path, key: "tree_info", reason: "does not match the trees")
        }
        var nodes: [Node] = []
        var roots: [Int] = []
        for (t, tree) in trees.enumerated() {
            roots.append(nodes.count)
            try Self.appendTree(tree, to: &nodes, features: featureCount, path: path, key: "trees[\(t)]")
        }
        self.nodes = nodes
        self.roots = roots
        self.treeGroups = info
    }

    /// `base_score`: "5E-1", or "[5E-1]" / "[a,b,c]" (one per class) in XGBoost 3.
    private static func baseScores(_ value: Value?, path: String) throws -> [Double] {
        guard let text = value?.stringValue else { return [0.5] }
        let trimmed = text.filter { $0 != "[" && $0 != "]" && $0 != " " }
        let scores = trimmed.split(separator: ",").compactMap { Double($0) }
        guard !scores.isEmpty else {
            throw ModelFileError.invalidField(
                path: path, key: "learner_model_param.base_score", reason: "'\(text)' is not a number")
        }
        return scores
    }

    private static func appendTree(_ tree: Value, to nodes: inout [Node], features: Int, path: String, key: String)
        throws
    {
        let left = try ModelFile.numbers(tree["left_children"], path: path, key: "\(key).left_children")
        let right = try ModelFile.numbers(tree["right_children"], path: path, key: "\(key).right_children")
        let splitIndex = try ModelFile.numbers(tree["split_indices"], path: path, key: "\(key).split_indices")
        let conditions = try ModelFile.numbers(tree["split_conditions"], path: path, key: "\(key).split_conditions")
        let defaults = (tree["default_left"]?.arrayValue ?? []).map { $0.boolValue ?? ($0.intValue ?? 0 != 0) }
        let splitTypes = (tree["split_type"]?.arrayValue ?? []).compactMap(\.intValue)
        let count = left.count
        guard right.count == count, splitIndex.count == count, conditions.count == count, defaults.count == count,
            count > 0
        else {
            throw ModelFileError.invalidField(path: path, key: key, reason: "node arrays of different lengths")
        }
        if splitTypes.contains(where: { $0 != 0 }) {
            throw ModelFileError.invalidField(
                path: path, key: "\(key).split_type", reason: "categorical splits are not supported")
        }
        let base = Int32(nodes.count)
        for i in 0..<count {
            let isLeaf = left[i] < 0
            if !isLeaf {
                guard left[i] < Double(count), right[i] >= 0, right[i] < Double(count), splitIndex[i] >= 0,
                    Int(splitIndex[i]) < max(features, 1)
                else {
                    throw ModelFileError.invalidField(path: path, key: key, reason: "node \(i) links outside the tree")
                }
            }
            nodes.append(
                Node(
                    left: isLeaf ? -1 : base + Int32(left[i]), right: isLeaf ? -1 : base + Int32(right[i]),
                    feature: Int32(splitIndex[i]), value: Float(conditions[i]), defaultLeft: defaults[i]))
        }
    }

    /// Margins for `rows` rows of `features` Float features: `rows × groups`, row-major.
    func margins(_ x: [Float], rows: Int) -> [Double] {
        var out = [Double](repeating: 0, count: rows * groups)
        nodes.withUnsafeBufferPointer { nodes in
            for r in 0..<rows {
                let row = r * features
                for g in 0..<groups { out[r * groups + g] = baseMargins[g] }
                for (t, root) in roots.enumerated() {
                    var n = root
                    while nodes[n].left >= 0 {
                        let node = nodes[n]
                        let v = x[row + Int(node.feature)]
                        let goLeft = v.isNaN ? node.defaultLeft : v < node.value
                        n = Int(goLeft ? node.left : node.right)
                    }
                    out[r * groups + treeGroups[t]] += Double(nodes[n].value)
                }
            }
        }
        return out
    }
}
