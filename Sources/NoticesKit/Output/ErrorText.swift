import Foundation

/// Readable text for any error, for messages users see: Foundation's file errors
/// become "PATH: reason" (from the POSIX error underneath) instead of a raw
/// `Error Domain=NSCocoaErrorDomain Code=…` dump.
package enum ErrorText {
    package static func describe(_ error: Error) -> String {
        if let d = error as? DiagnosticsError { return d.description }
        guard isFoundation(error) else { return String(describing: error) }
        let ns = error as NSError
        let path = (ns.userInfo[NSFilePathErrorKey] as? String) ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
        let reason: String
        if let underlying = (ns.userInfo[NSUnderlyingErrorKey] as? Error).map({ $0 as NSError }), underlying.domain == NSPOSIXErrorDomain {
            reason = String(cString: strerror(Int32(underlying.code)))
        } else if ns.domain == NSPOSIXErrorDomain {
            reason = String(cString: strerror(Int32(ns.code)))
        } else if ns.domain == NSCocoaErrorDomain {
            reason = cocoaReason(ns.code)
        } else {
            reason = "\(ns.domain) error \(ns.code)"
        }
        return path.map { "\($0): \(reason)" } ?? reason
    }

    package static func isFoundation(_ error: Error) -> Bool {
        error is CocoaError || error is POSIXError || (error as NSError).domain == NSCocoaErrorDomain
    }

    /// What Foundation's file error codes mean when no POSIX error is attached.
    static func cocoaReason(_ code: Int) -> String {
        switch CocoaError.Code(rawValue: code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or folder"
        case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
        case .fileWriteOutOfSpace: return "no space left on device"
        case .fileWriteFileExists: return "already exists"
        case .fileWriteInvalidFileName, .fileReadInvalidFileName: return "invalid file name (too long?)"
        case .fileWriteVolumeReadOnly: return "read-only file system"
        case .fileReadCorruptFile: return "unreadable file"
        case .fileReadInapplicableStringEncoding: return "not valid text in the expected encoding"
        default: return "file system error \(code)"
        }
    }
}
