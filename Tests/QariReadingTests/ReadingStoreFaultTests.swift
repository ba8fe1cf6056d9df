import Foundation
import Glibc
import QariTestSupport
import Testing

@testable import QariReading

/// The store against a cut-off, altered or deleted file, a torn write, a disk that refuses writes, and a folder
/// that cannot be written at all.
@Suite(.serialized) struct ReadingStoreFaultTests {
    static let files: [String: [UInt8]] = [
        "audio.ogg": Array(repeating: 7, count: 4000), "marks.json": Array(#"{"marks":[]}"#.utf8),
        "plan.json": Array("{}".utf8),
    ]

    static func id(_ text: String) -> String { ContentHash.sha256(Array(text.utf8)) }

    /// Changes `path` in place (same file, same size), as a failing disk or a careless hand would.
    static func flipByte(_ path: String, at offset: Int) throws {
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: UInt64(offset))
        let byte = try handle.read(upToCount: 1) ?? Data([0])
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: Data([byte[0] ^ 0xFF]))
        try handle.close()
    }

    @Test(arguments: ["truncated", "flipped", "deleted"])
    func aDamagedFileIsNeverServedAndItsReadingIsMadeAgain(_ damage: String) async throws {
        let folder = Support.temporaryFile("store")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let id = Self.id("damaged \(damage)")
        let store = try ReadingStore(directory: folder, limit: 1_000_000)
        try await store.save(id, files: Self.files)
        let audio = try #require(await store.file(id, "audio.ogg"))
        #expect(await store.read(id, "marks.json") == Data(Self.files["marks.json"]!))
        switch damage {
        case "truncated": #expect(truncate(audio, 1000) == 0)
        case "flipped": try Self.flipByte(audio, at: 2000)
        default: #expect(unlink(audio) == 0)
        }
        #expect(await store.file(id, "audio.ogg") == nil)
        let stats = await store.statistics()
        #expect(stats.damaged == 1 && stats.entries == 0 && stats.bytes == 0)
        #expect(!(await store.contains(id)))
        #expect(!FileManager.default.fileExists(atPath: folder + "/" + id))
        // Made again: stored and served whole.
        try await store.save(id, files: Self.files)
        let again = try #require(await store.file(id, "audio.ogg"))
        #expect(FileManager.default.contents(atPath: again) == Data(Self.files["audio.ogg"]!))
    }

    @Test func aFileChangedAfterItWasCheckedIsCheckedAgainEvenWithItsOldTime() async throws {
        let folder = Support.temporaryFile("store")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let id = Self.id("changed later")
        let store = try ReadingStore(directory: folder, limit: 1_000_000)
        try await store.save(id, files: Self.files)
        let marks = folder + "/" + id + "/marks.json"
        #expect(await store.read(id, "marks.json") != nil)
        var before = stat()
        stat(marks, &before)
        try Self.flipByte(marks, at: 3)
        var times = [before.st_atim, before.st_mtim]
        #expect(utimensat(AT_FDCWD, marks, &times, 0) == 0)
        #expect(await store.read(id, "marks.json") == nil)
        #expect(await store.statistics().damaged == 1)
    }

    @Test func aFileTheMarkerDoesNotListIsNeverServedThenAddedWhole() async throws {
        let folder = Support.temporaryFile("store")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let id = Self.id("unlisted")
        let store = try ReadingStore(directory: folder, limit: 1_000_000)
        try await store.save(id, files: Self.files)
        // An MP3 renamed in just before a crash, without its line in the marker.
        let mp3 = folder + "/" + id + "/audio.mp3"
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: mp3))
        #expect(await store.file(id, "audio.mp3") == nil)
        #expect(await store.statistics().damaged == 0)
        #expect(await store.file(id, "audio.ogg") != nil)
        let bytes: [UInt8] = Array(repeating: 9, count: 3000)
        try await store.add(id, "audio.mp3", bytes)
        let path = try #require(await store.file(id, "audio.mp3"))
        #expect(FileManager.default.contents(atPath: path) == Data(bytes))
        let marker = String(
            decoding: FileManager.default.contents(atPath: folder + "/" + id + "/complete")!, as: UTF8.self)
        #expect(marker.contains(ContentHash.sha256(bytes) + "  audio.mp3\n"))
        // After a restart every file is checked again, and still served.
        let reopened = try ReadingStore(directory: folder, limit: 1_000_000)
        #expect(await reopened.file(id, "audio.mp3") != nil)
        #expect(await reopened.statistics().damaged == 0)
    }

    @Test func aReadingOfTheOldFormatIsRemovedWhenTheStoreOpens() async throws {
        let folder = Support.temporaryFile("store")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let id = Self.id("old format")
        try FileManager.default.createDirectory(atPath: folder + "/" + id, withIntermediateDirectories: true)
        try Data(Self.files["audio.ogg"]!).write(to: URL(fileURLWithPath: folder + "/" + id + "/audio.ogg"))
        try Data().write(to: URL(fileURLWithPath: folder + "/" + id + "/complete"))
        let store = try ReadingStore(directory: folder, limit: 1_000_000)
        #expect(!(await store.contains(id)))
        #expect(await store.file(id, "audio.ogg") == nil)
        #expect(!FileManager.default.fileExists(atPath: folder + "/" + id))
    }

    @Test func aRefusedWriteDegradesTheStoreUntilAWriteSucceeds() async throws {
        let folder = Support.temporaryFile("store")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try ReadingStore(directory: folder, limit: 1_000_000)
        #expect(await store.statistics().state == "ok")
        // The folder goes (a disk unmounted, a hand): writes fail.
        try FileManager.default.removeItem(atPath: folder)
        try Data().write(to: URL(fileURLWithPath: folder))
        await #expect(throws: (any Error).self) { try await store.save(Self.id("refused"), files: Self.files) }
        let degraded = await store.statistics()
        #expect(degraded.state == "degraded" && degraded.reason?.contains("Not a directory") == true)
        #expect(!(await store.contains(Self.id("refused"))))
        // Back: the next save clears the state by itself.
        try FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try await store.save(Self.id("stored"), files: Self.files)
        let back = await store.statistics()
        #expect(back.state == "ok" && back.reason == nil)
        #expect(await store.file(Self.id("stored"), "audio.ogg") != nil)
    }

    @Test func aFolderThatCannotBeWrittenIsNamedWhenTheStoreOpens() throws {
        let file = Support.temporaryFile("not-a-folder")
        defer { try? FileManager.default.removeItem(atPath: file) }
        try Data().write(to: URL(fileURLWithPath: file))
        #expect {
            try ReadingStore(directory: file + "/readings", limit: 1000)
        } throws: { error in
            guard let error = error as? StoreUnwritable else { return false }
            return error.store == .readingCache && error.path == file + "/readings"
                && "\(error)".contains(file + "/readings")
        }
        #expect {
            try ReportStore(path: file + "/reports.sqlite")
        } throws: { error in
            guard let error = error as? StoreUnwritable else { return false }
            return error.store == .reports && error.path == file + "/reports.sqlite"
        }
    }
}
