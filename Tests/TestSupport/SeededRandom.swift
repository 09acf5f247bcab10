import Foundation

/// A reproducible random number generator (SplitMix64) for tests that pick random
/// moments or inputs. The seed comes from `NOTICES_TEST_SEED` when set, else from the
/// system generator; tests print it so a failing run can be replayed.
package struct SeededRandom: RandomNumberGenerator {
    package let seed: UInt64
    private var state: UInt64

    package init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

    /// Seeded from `NOTICES_TEST_SEED`, else at random; prints the seed for `test`.
    package init(printingFor test: String) {
        var system = SystemRandomNumberGenerator()
        let given = ProcessInfo.processInfo.environment["NOTICES_TEST_SEED"].flatMap { UInt64($0) }
        self.init(seed: given ?? system.next())
        print("\(test): random seed \(seed) (replay with NOTICES_TEST_SEED=\(seed))")
    }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
