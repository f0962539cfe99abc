import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client over a blocking socket to 127.0.0.1, one request per connection,
/// so the tests see exactly the bytes the server sends (no client library in between).
enum LoopbackHTTP {
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
        /// `error.message` of a JSON error body.
        var errorMessage: String? { (json?["error"] as? [String: Any])?["message"] as? String }
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    static func get(_ port: Int, _ path: String) throws -> Response {
        try request(port, method: "GET", path: path)
    }

    static func post(_ port: Int, _ path: String, json: Any) throws -> Response {
        try request(port, method: "POST", path: path, body: Array(try JSONSerialization.data(withJSONObject: json)))
    }

    static func request(_ port: Int, method: String, path: String, body: [UInt8] = [], timeout: Int = 300) throws -> Response {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if method == "POST" { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        let raw = try exchange(port, Array((head + "\r\n").utf8) + body, timeout: timeout)
        return try parse(raw)
    }

    /// Sends `bytes` as they are and returns everything the server sends until it closes.
    static func exchange(_ port: Int, _ bytes: [UInt8], timeout: Int = 300) throws -> [UInt8] {
        let fd = try connect(port)
        defer { close(fd) }
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            // The server may answer (413) and close before the whole body is sent.
            if n <= 0 { break }
            offset += n
        }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw Failure(description: "recv: \(String(cString: strerror(errno))) after \(out.count) bytes") }
            if n == 0 { break }
            out += chunk[0..<n]
        }
        return out
    }

    /// A connected socket, or the error (ECONNREFUSED once the server has stopped listening).
    static func connect(_ port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw Failure(description: "connect to 127.0.0.1:\(port): \(message)")
        }
        return fd
    }

    static func parse(_ raw: [UInt8]) throws -> Response {
        guard let end = raw.firstRange(of: Array("\r\n\r\n".utf8)) else {
            throw Failure(description: "no complete response head in \(raw.count) bytes")
        }
        let lines = String(decoding: raw[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw Failure(description: "bad status line: \(lines[0])")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Response(status: status, headers: headers, body: Array(raw[end.upperBound...]))
    }
}
