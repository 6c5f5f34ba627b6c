extension String {
    /// The same pieces as `split(separator: Character(separator)).map(String.init)` (empty
    /// pieces left out): for ASCII text split as bytes; otherwise by that very `split`, where a
    /// combining mark after the separator makes another Character of it. A CR or LF separator
    /// always goes by `split`: "\r\n" is one Character, equal to neither, which bytes would
    /// cut in two.
    ///
    /// Why (issue 14, callgrind on the static release build): `split` on a String goes Character
    /// by Character through grapheme breaking, about 45 K instructions for the Mounts of one
    /// container in `status`, after docker has answered.
    public func splitASCII(_ separator: UInt8) -> [String] {
        let byCharacters = { self.split(separator: Character(Unicode.Scalar(separator))).map(String.init) }
        if separator == 0x0A || separator == 0x0D { return byCharacters() }
        var text = self
        let pieces = text.withUTF8 { bytes -> [String]? in
            var pieces: [String] = []
            var start = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x80 else { return nil }
                guard byte == separator else { continue }
                if index > start { pieces.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)) }
                start = index + 1
            }
            if bytes.count > start {
                pieces.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]), as: UTF8.self))
            }
            return pieces
        }
        return pieces ?? byCharacters()
    }
}
