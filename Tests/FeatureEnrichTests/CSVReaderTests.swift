import FeatureEnrich
import Testing

/// RFC 4180 reading: quoting, escapes, line ends, error positions.
struct CSVReaderTests {
    private func records(_ text: String) throws(CSVError) -> [CSVReader.Record] {
        var reader = CSVReader(bytes: Array(text.utf8))
        var result: [CSVReader.Record] = []
        while let record = try reader.nextRecord() { result.append(record) }
        return result
    }

    @Test func readsPlainRecordsWithLFOrCRLF() throws {
        for text in ["a,b\n1,2\n", "a,b\r\n1,2\r\n", "a,b\r\n1,2"] {
            let result = try records(text)
            #expect(result.map(\.fields) == [["a", "b"], ["1", "2"]], "\(text.debugDescription)")
            #expect(result.map(\.line) == [1, 2])
        }
    }

    @Test func quotedFieldsHoldCommasLineBreaksAndDoubledQuotes() throws {
        let result = try records("k,v\r\n\"a,b\",\"say \"\"hi\"\"\"\r\n\"multi\r\nline\",\"\"\r\nnext,1\n")
        #expect(result.map(\.fields) == [["k", "v"], ["a,b", "say \"hi\""], ["multi\r\nline", ""], ["next", "1"]])
        #expect(result.map(\.line) == [1, 2, 3, 5])
    }

    @Test func keepsEmptyFieldsAndSkipsBlankLines() throws {
        let result = try records("a,b,c\n\n,,\n1,,3\n\n")
        #expect(result.map(\.fields) == [["a", "b", "c"], ["", "", ""], ["1", "", "3"]])
        #expect(result.map(\.line) == [1, 3, 4])
    }

    @Test func skipsAByteOrderMark() throws {
        #expect(try records("\u{FEFF}a,b\n").first?.fields == ["a", "b"])
    }

    @Test func unterminatedQuoteIsReportedAtTheOpeningQuote() {
        #expect(throws: CSVError(line: 3, column: 3, reason: .unterminatedQuotedField)) {
            try records("a,b\n1,2\nx,\"open\nstill open\n")
        }
    }

    @Test func characterAfterClosingQuoteIsReportedWhereItIs() {
        #expect(throws: CSVError(line: 2, column: 7, reason: .characterAfterClosingQuote)) {
            try records("a,b\n1,\"ab\"c\n")
        }
    }

    @Test func quoteInsideUnquotedFieldIsAnError() {
        #expect(throws: CSVError(line: 2, column: 4, reason: .quoteInUnquotedField)) { try records("a,b\n1,a\"b\n") }
    }

    @Test func errorMessageNamesLineAndColumn() {
        #expect(
            CSVError(line: 4, column: 2, reason: .unterminatedQuotedField).description
                == "line 4, column 2: unterminated quoted field")
    }
}
