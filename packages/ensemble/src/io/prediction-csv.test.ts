import { describe, expect, it } from "vitest";
import { PredictionFileError } from "../errors.js";
import { formatPredictionsCsv, parseLabelsCsv, parsePredictionsCsv } from "./prediction-csv.js";

const HEADER = "id,winner_model_a,winner_model_b,winner_tie";

describe("prediction CSV", () => {
  it("round-trips ids and full-precision probabilities", () => {
    const probs = Float64Array.from([0.1, 0.2, 0.7, 1 / 3, 1 / 3, 1 / 3]);
    const text = formatPredictionsCsv(["136060", 'odd,"id"'], probs);
    expect(text.split("\n")[0]).toBe(HEADER);
    const table = parsePredictionsCsv(text, "p.csv");
    expect(table.ids).toEqual(["136060", 'odd,"id"']);
    expect(table.probs).toEqual(probs);
  });

  it("reads the columns by name, with extra columns and CRLF line ends", () => {
    const table = parsePredictionsCsv("winner_tie,extra,id,winner_model_b,winner_model_a\r\n0.5,x,7,0.25,0.25\r\n", "p.csv");
    expect(table.ids).toEqual(["7"]);
    expect(Array.from(table.probs)).toEqual([0.25, 0.25, 0.5]);
  });

  it.each([
    ["id,winner_model_a,winner_model_b\n1,0.5,0.5\n", undefined, /p\.csv: missing column winner_tie/],
    [`${HEADER}\n1,0.5,0.5,0\n2,0.5,,0.5\n`, 2, /p\.csv row 2: winner_model_b is "", expected a number/],
    [`${HEADER}\n1,0.5,0.5,0\n2,NaN,0.5,0.5\n`, 2, /p\.csv row 2: winner_model_a is "NaN", expected a number/],
    [`${HEADER}\n1,1.2,-0.2,0\n`, 1, /p\.csv row 1: winner_model_b is -0.2, expected a probability >= 0/],
    [`${HEADER}\n1,0.5,0.5,0\n2,0.4,0.4,0.1\n`, 2, /p\.csv row 2: probabilities sum to 0.9/],
    [`${HEADER}\n1,0.5,"0.5,0\n`, undefined, /p\.csv: not readable as CSV/],
  ])("rejects %j with a typed error naming the file and row", (text, row, message) => {
    let error: unknown;
    try {
      parsePredictionsCsv(text, "p.csv");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PredictionFileError);
    expect((error as PredictionFileError).row).toBe(row);
    expect((error as Error).message).toMatch(message);
  });
});

describe("label CSV", () => {
  it("reads one-hot winner flags and ignores other columns", () => {
    const text = `id,prompt,${HEADER.slice(3)}\n1,"a, ""quoted""\nprompt",0,1,0\n2,x,0,0,1\n`;
    const labels = parseLabelsCsv(text, "l.csv");
    expect(labels.ids).toEqual(["1", "2"]);
    expect(Array.from(labels.labels)).toEqual([1, 2]);
  });

  it("rejects rows that are not one-hot", () => {
    expect(() => parseLabelsCsv(`${HEADER}\n1,1,0,0\n2,1,1,0\n`, "l.csv")).toThrow(
      /l\.csv row 2: winner flags are 1, 1, 0, expected exactly one 1 and two 0/,
    );
  });
});
