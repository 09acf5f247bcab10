import BigInt
import Foundation

/// A complex number, which Python gives for a negative number raised to a fractional
/// power. It prints and compares like Python's; arithmetic on it is not supported.
final class ComplexNumber: JinjaObject {
    let real: Double, imag: Double
    init(real: Double, imag: Double) {
        self.real = real
        self.imag = imag
    }
    var typeName: String { "complex object" }
    func attribute(_ name: String) -> Value? {
        switch name {
        case "real": return .double(real)
        case "imag": return .double(imag)
        default: return nil
        }
    }
    /// CPython's complex_repr: parts in repr form without a trailing ".0".
    var stringValue: String {
        func part(_ d: Double, sign: Bool) -> String {
            var s = pyFloatRepr(d)
            if s.hasSuffix(".0") { s.removeLast(2) }
            if sign && !s.hasPrefix("-") { s = "+" + s }
            return s
        }
        if real == 0 && real.sign == .plus { return part(imag, sign: false) + "j" }
        return "(" + part(real, sign: false) + part(imag, sign: true) + "j)"
    }
    var isTruthy: Bool { real != 0 || imag != 0 }
    func equals(_ other: Value) -> Bool {
        if case .object(let o as ComplexNumber) = other { return o.real == real && o.imag == imag }
        return imag == 0 && other.isNumber && Numbers.compare(.double(real), other) == 0
    }
}

/// The arithmetic operators of expressions.
enum ArithmeticOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", modulo = "%", power = "**"
}

/// Python's numbers: integers without bounds (on `Int`, falling back to `BigInt` on
/// overflow), floats, and exact comparison between the two.
enum Numbers {
    /// Integers larger than this many bits are refused: `2 ** 10 ** 9` would take
    /// minutes and gigabytes (Python computes it; no template needs it).
    static let maxIntBits = 65_536

    static func checkedBig(_ b: BigInt) throws -> Value {
        if b.magnitude.bitWidth > maxIntBits {
            throw TemplateError(.limit, "integer too large (over \(maxIntBits) bits)")
        }
        return .integer(b)
    }

    /// Exact comparison of two numbers (bools, ints, big ints, floats): -1, 0, 1, or
    /// nil when either is NaN or one is not a number.
    static func compare(_ a: Value, _ b: Value) -> Int? {
        switch (a, b) {
        case let (.double(x), .double(y)):
            if x.isNaN || y.isNaN { return nil }
            return x < y ? -1 : (x == y ? 0 : 1)
        case (.double(let x), _):
            guard let y = b.bigIntLike else { return nil }
            return compare(y, x).map { -$0 }
        case (_, .double(let y)):
            guard let x = a.bigIntLike else { return nil }
            return compare(x, y)
        default:
            if let x = a.intLike, let y = b.intLike { return x < y ? -1 : (x == y ? 0 : 1) }
            guard let x = a.bigIntLike, let y = b.bigIntLike else { return nil }
            return x < y ? -1 : (x == y ? 0 : 1)
        }
    }

    /// An integer against a float, exactly (Python does not round the integer).
    static func compare(_ x: BigInt, _ y: Double) -> Int? {
        if y.isNaN { return nil }
        if y.isInfinite { return y > 0 ? -1 : 1 }
        let floor = y.rounded(.down)
        let f = BigInt(exactly: floor)!
        if x < f { return -1 }
        if x > f { return 1 }
        return y > floor ? -1 : 0
    }

    /// `float(int)`, or Python's OverflowError.
    static func toDouble(_ v: Value) throws -> Double {
        switch v {
        case .bigint(let b):
            let d = Double(b)
            if !d.isFinite { throw TemplateError(.value, "int too large to convert to float") }
            return d
        default:
            return v.numeric ?? 0
        }
    }

    static func arithmetic(_ op: ArithmeticOperator, _ a: Value, _ b: Value) throws -> Value {
        if let x = a.intLike, let y = b.intLike { return try integers(op, x, y) }
        if let x = a.bigIntLike, let y = b.bigIntLike { return try bigIntegers(op, x, y) }
        guard a.isNumber, b.isNumber else {
            throw TemplateError(.type, "unsupported operand type(s) for \(op.rawValue): '\(a.pyTypeName)' and '\(b.pyTypeName)'")
        }
        return try floats(op, try toDouble(a), try toDouble(b))
    }

    /// The fast path: `Int` arithmetic, overflow-checked, falling back to `BigInt`.
    static func integers(_ op: ArithmeticOperator, _ x: Int, _ y: Int) throws -> Value {
        switch op {
        case .add:
            let r = x.addingReportingOverflow(y)
            return r.overflow ? .integer(BigInt(x) + BigInt(y)) : .int(r.partialValue)
        case .subtract:
            let r = x.subtractingReportingOverflow(y)
            return r.overflow ? .integer(BigInt(x) - BigInt(y)) : .int(r.partialValue)
        case .multiply:
            let r = x.multipliedReportingOverflow(by: y)
            return r.overflow ? .integer(BigInt(x) * BigInt(y)) : .int(r.partialValue)
        case .divide:
            if y == 0 { throw TemplateError(.value, "division by zero") }
            if x.magnitude < 1 << 53 && y.magnitude < 1 << 53 { return .double(Double(x) / Double(y)) }
            return try bigIntegers(op, BigInt(x), BigInt(y))
        case .floorDivide:
            if y == 0 { throw TemplateError(.value, "integer division or modulo by zero") }
            if x == .min && y == -1 { return .integer(-BigInt(x)) }
            let q = x / y
            return .int((x % y != 0 && ((x < 0) != (y < 0))) ? q - 1 : q)
        case .modulo:
            if y == 0 { throw TemplateError(.value, "integer division or modulo by zero") }
            if y == -1 { return .int(0) }
            let r = x % y
            return .int(r != 0 && ((r < 0) != (y < 0)) ? r + y : r)
        case .power:
            if y < 0 { return try floats(op, Double(x), Double(y)) }
            var result = 1, base = x, e = y
            while e > 0 {
                if e & 1 == 1 {
                    let r = result.multipliedReportingOverflow(by: base)
                    if r.overflow { return try bigIntegers(op, BigInt(x), BigInt(y)) }
                    result = r.partialValue
                }
                e >>= 1
                if e > 0 {
                    let r = base.multipliedReportingOverflow(by: base)
                    if r.overflow { return try bigIntegers(op, BigInt(x), BigInt(y)) }
                    base = r.partialValue
                }
            }
            return .int(result)
        }
    }

    static func bigIntegers(_ op: ArithmeticOperator, _ x: BigInt, _ y: BigInt) throws -> Value {
        switch op {
        case .add: return try checkedBig(x + y)
        case .subtract: return try checkedBig(x - y)
        case .multiply:
            if x.magnitude.bitWidth + y.magnitude.bitWidth > maxIntBits + 1 {
                throw TemplateError(.limit, "integer too large (over \(maxIntBits) bits)")
            }
            return try checkedBig(x * y)
        case .divide:
            if y.isZero { throw TemplateError(.value, "division by zero") }
            return .double(try trueDivide(x, y))
        case .floorDivide, .modulo:
            if y.isZero { throw TemplateError(.value, "integer division or modulo by zero") }
            var (q, r) = x.quotientAndRemainder(dividingBy: y)
            if !r.isZero && (r.signum() != y.signum()) {
                q -= 1
                r += y
            }
            return .integer(op == .floorDivide ? q : r)
        case .power:
            if y.signum() < 0 { return try floats(op, try toDouble(.integer(x)), try toDouble(.integer(y))) }
            if x.isZero || x == 1 { return .integer(y.isZero ? 1 : x) }
            if x == -1 { return .int(y.words[0] & 1 == 0 ? 1 : -1) }
            let bits = BigInt(x.magnitude.bitWidth) * y
            guard let e = Int(exactly: y), bits <= BigInt(maxIntBits + 1) else {
                throw TemplateError(.limit, "integer too large (over \(maxIntBits) bits)")
            }
            return try checkedBig(x.power(e))
        }
    }

    /// `int / int` as a float, correctly rounded as Python's is: a quotient of 55 or
    /// 56 bits plus a sticky bit for the remainder, rounded once by the conversion.
    static func trueDivide(_ x: BigInt, _ y: BigInt) throws -> Double {
        if x.isZero { return y.signum() < 0 ? -0.0 : 0.0 }
        let a = x.magnitude, b = y.magnitude
        let shift = a.bitWidth - b.bitWidth - 55
        let (q, r) = shift >= 0 ? a.quotientAndRemainder(dividingBy: b << shift) : (a << -shift).quotientAndRemainder(dividingBy: b)
        var bits = UInt64(q)
        if !r.isZero { bits |= 1 }
        let magnitude = Double(sign: .plus, exponent: shift, significand: Double(bits))
        if !magnitude.isFinite { throw TemplateError(.value, "integer division result too large for a float") }
        return x.signum() * y.signum() < 0 ? -magnitude : magnitude
    }

    static func floats(_ op: ArithmeticOperator, _ x: Double, _ y: Double) throws -> Value {
        switch op {
        case .add: return .double(x + y)
        case .subtract: return .double(x - y)
        case .multiply: return .double(x * y)
        case .divide:
            if y == 0 { throw TemplateError(.value, "float division by zero") }
            return .double(x / y)
        case .floorDivide:
            if y == 0 { throw TemplateError(.value, "float floor division by zero") }
            return .double(pyFloorDivide(x, y))
        case .modulo:
            if y == 0 { throw TemplateError(.value, "float modulo") }
            return .double(pyFloatMod(x, y))
        case .power:
            if x == 0 && y < 0 { throw TemplateError(.value, "0.0 cannot be raised to a negative power") }
            if x < 0 && y != y.rounded() && y.isFinite {
                // Python 3 answers with a complex number (CPython's c_pow).
                let length = pow(-x, y), phase = Double.pi * y
                return .object(ComplexNumber(real: length * cos(phase), imag: length * sin(phase)))
            }
            let r = pow(x, y)
            if r.isInfinite && x.isFinite && y.isFinite { throw TemplateError(.value, "(34, 'Numerical result out of range')") }
            return .double(r)
        }
    }

    /// Python's float `%`: the result has the sign of the divisor.
    static func pyFloatMod(_ x: Double, _ y: Double) -> Double {
        var r = fmod(x, y)
        if r != 0 {
            if (y < 0) != (r < 0) { r += y }
        } else {
            r = copysign(0, y)
        }
        return r
    }

    /// Python's float `//` (CPython's float_floor_div via divmod).
    static func pyFloorDivide(_ x: Double, _ y: Double) -> Double {
        let mod = fmod(x, y)
        var div = (x - mod) / y
        if mod != 0 && (y < 0) != (mod < 0) { div -= 1 }
        if div != 0 {
            var floordiv = div.rounded(.down)
            if div - floordiv > 0.5 { floordiv += 1 }
            return floordiv
        }
        return copysign(0, x / y)
    }
}
