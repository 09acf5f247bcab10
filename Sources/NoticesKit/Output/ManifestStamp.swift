import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `OUT/.local/manifest-stamp`: manifest.json as this build of notices last wrote it,
/// as the file system describes it (device, inode, size, modification and change
/// times). While the file still looks like this, nobody has written it since, so its
/// bytes are exactly the canonical form SPEC §3.4 defines, sorted, without duplicates
/// and with superseding applied; a lifecycle command may then change a few entries in
/// place (ManifestSplice) instead of reading and re-encoding every message.
///
/// The change time cannot be set by hand, so an edit, a `git checkout` or a copy from
/// another machine always shows. Machine-local like the folder record; deleting it
/// only costs time (the next lifecycle command reads the whole manifest once).
package enum ManifestStamp {
    static let header = "notices-manifest-stamp 1"

    /// The stamp of the file at `path` now, with the build that would write it; nil
    /// when it is not a regular file (a link is never followed).
    static func current(_ path: String) -> String? {
        var s = stat()
        guard lstat(path, &s) == 0, (s.st_mode & S_IFMT) == S_IFREG else { return nil }
        #if canImport(Darwin)
        let (modified, changed) = (s.st_mtimespec, s.st_ctimespec)
        #else
        let (modified, changed) = (s.st_mtim, s.st_ctim)
        #endif
        return "\(header)\nbuild\t\(FolderStats.build)\nfile\t\(s.st_dev)\t\(s.st_ino)\t\(s.st_size)\t"
            + "\(FolderStats.nanoseconds(modified))\t\(FolderStats.nanoseconds(changed))\n"
    }
}

extension OutputFolder {
    var manifestStampURL: URL { localURL.appendingPathComponent("manifest-stamp", isDirectory: false) }

    /// Records manifest.json as it is now: call right after notices wrote it (or found
    /// it byte for byte as it would write it), under the lock. Failing to record only
    /// costs the next command time, so it is not an error.
    func stampManifest() {
        guard let stamp = ManifestStamp.current(manifestURL.path) else {
            try? FileManager.default.removeItem(at: manifestStampURL)
            return
        }
        try? writeLocalRecord(Data(stamp.utf8), to: manifestStampURL)
    }

    /// Whether manifest.json is untouched since this build last wrote it.
    var manifestIsAsStamped: Bool {
        guard let recorded = FileIO.readBytes(manifestStampURL), let now = ManifestStamp.current(manifestURL.path) else { return false }
        return recorded.elementsEqual(now.utf8)
    }
}
