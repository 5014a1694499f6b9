import { describe, expect, it } from "vitest";
import { toCsv } from "./csv";

describe("toCsv", () => {
  it("quotes what needs quoting and ends lines with CRLF", () => {
    expect(toCsv(["a", "b"], [["x, y", 'say "hi"'], [1.5, null]])).toBe('a,b\r\n"x, y","say ""hi"""\r\n1.5,\r\n');
  });
  it("defuses cells a spreadsheet would run as formulas, but not negative numbers", () => {
    expect(toCsv(["v"], [["=HYPERLINK(1)"], ["@cmd"], [-3]])).toBe("v\r\n'=HYPERLINK(1)\r\n'@cmd\r\n-3\r\n");
  });
});
