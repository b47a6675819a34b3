"""Problems of a file as a whole: its type, encoding, sheet and header row (the readers of
:mod:`jieneng.io`)."""

from __future__ import annotations

from typing import ClassVar

from jieneng.core.problems.base import ADVISORY, Family, ProblemType, gettext_noop


class FileProblem(ProblemType, abstract=True):
    family = Family.FILE


class FileNotFound(FileProblem):
    code = "file_not_found"
    template = gettext_noop("File “%(file)s” does not exist.")
    params = ("file",)
    description = "The file given does not exist."


class UnreadableFile(FileProblem):
    code = "unreadable_file"
    template = gettext_noop("File “%(file)s” cannot be read as a spreadsheet (%(reason)s).")
    params = ("file", "reason")
    description = "The spreadsheet library cannot open the file (damaged, encrypted, not what its name says)."


class UnknownFormat(FileProblem):
    code = "unknown_format"
    template = gettext_noop("File “%(file)s” has an unknown type; give a .csv, .xlsx or .xls file.")
    params = ("file",)
    description = "The file is neither .csv nor .xlsx nor .xls."


class BadEncoding(FileProblem):
    code = "bad_encoding"
    template = gettext_noop(
        "The file is neither UTF-8 nor GBK/GB18030 text: the bytes %(value)s cannot be read. "
        "Save it again from Excel as “CSV UTF-8”."
    )
    params = ("value",)
    description = "A CSV file is neither UTF-8 nor GBK/GB18030 text."


class NoSuchSheet(FileProblem):
    code = "no_such_sheet"
    template = gettext_noop("There is no sheet “%(sheet)s”; the sheets are: %(sheets)s.")
    params = ("sheet", "sheets")
    description = "The sheet asked for is not in the workbook."


class NoHeaderRow(FileProblem):
    code = "no_header_row"
    template = gettext_noop(
        "No header row found: no row in the first %(rows)s names the columns %(columns)s."
    )
    params = ("rows", "columns")
    description = "No row near the top names the required columns."


class MissingColumn(FileProblem):
    code = "missing_column"
    template = gettext_noop(
        "Required column “%(column)s” is missing; accepted names are %(names)s. "
        "The header row has: %(found)s."
    )
    params: ClassVar[tuple[str, ...]] = ("column", "names", "found")
    description = "A required column is not in the header row."


class UnknownColumn(FileProblem):
    code = "unknown_column"
    severity = ADVISORY
    template = gettext_noop(
        "Column “%(column)s” is not on form %(form)s and was ignored. "
        "If it holds an item of the form, name it as the template does."
    )
    params = ("column", "form")
    description = "A column of the header row is no item of the form; it is not read."


class NoItems(FileProblem):
    code = "no_items"
    template = gettext_noop(
        "The header row names no item of form %(form)s, so there is nothing to read. "
        "Name the item columns as the template does, e.g. %(expected)s. The header row has: %(found)s."
    )
    params = ("form", "expected", "found")
    description = "The header row names the unit and period columns but no item of the form."


class DuplicateColumn(FileProblem):
    code = "duplicate_column"
    template = gettext_noop(
        "Column “%(column)s” is %(item)s again, already read from column “%(first)s”. "
        "Delete or rename one of the two columns."
    )
    params = ("column", "item", "first")
    description = "Two columns of the header row name the same item."


class BadHeaderUnit(FileProblem):
    code = "bad_header_unit"
    template = gettext_noop(
        "The unit “%(unit)s” in header “%(value)s” cannot measure %(item)s, which is reported in "
        "%(expected)s. Give the header a unit of the same kind, e.g. “%(item)s（%(expected)s）”, "
        "or remove the unit."
    )
    params = ("value", "unit", "item", "expected")
    description = "The unit written in a header cannot measure the item (a mass for electricity)."


class DuplicateFacts(FileProblem):
    code = "duplicate_facts"
    template = gettext_noop(
        "The facts of “%(value)s” for %(year)s are given twice; the first is in row %(first)s."
    )
    params = ("value", "year", "first")
    description = "A facts file gives a unit's building area and persons twice for the same year."


class TooManyProblems(FileProblem):
    code = "too_many_problems"
    template = gettext_noop(
        "%(count)s cells have problems; only the first %(shown)s are listed. "
        "Check that the file is the right form and its columns are in the right order."
    )
    params = ("count", "shown")
    description = "So many cells are wrong that only the first ones are listed: probably the wrong file."


class DuplicateDate(FileProblem):
    code = "duplicate_date"
    template = gettext_noop("The day %(value)s is given twice; the first is in row %(first)s.")
    params = ("value", "first")
    description = "A daily-use file gives the same day twice."


# --- limits and what a file really is (the guards of jieneng.io.sniff and jieneng.io.contained) -----


class TooManyRows(FileProblem):
    code = "too_many_rows"
    template = gettext_noop(
        "File “%(file)s” has %(value)s rows; at most %(limit)s are read (setting %(setting)s). "
        "Split the file into smaller ones and upload each."
    )
    params = ("file", "value", "limit", "setting")
    description = "The sheet has more rows than the limit (JIENENG_IMPORT_MAX_ROWS); nothing is read."


class TooManyColumns(FileProblem):
    code = "too_many_columns"
    template = gettext_noop(
        "File “%(file)s” declares a range %(value)s columns wide; at most %(limit)s are read "
        "(setting %(setting)s). Delete the cells far to the right (or copy the table into a new "
        "workbook) and upload it again."
    )
    params = ("file", "value", "limit", "setting")
    description = "The sheet's declared range is wider than the limit (a cell at column XFD)."


class TooManyCells(FileProblem):
    code = "too_many_cells"
    template = gettext_noop(
        "File “%(file)s” declares %(value)s cells; at most %(limit)s are read (setting %(setting)s). "
        "Delete the cells outside the table (or copy the table into a new workbook) and upload it again."
    )
    params = ("file", "value", "limit", "setting")
    description = "Rows × columns of the sheet's declared range exceed the limit (a cell at XFD1048576)."


class TextTooLong(FileProblem):
    code = "text_too_long"
    template = gettext_noop(
        "A cell of file “%(file)s” holds %(value)s characters; at most %(limit)s are read "
        "(setting %(setting)s). Shorten that text and upload the file again."
    )
    params = ("file", "value", "limit", "setting")
    description = "One cell's text is longer than the limit (JIENENG_IMPORT_MAX_TEXT_CHARS)."


class UnpacksTooLarge(FileProblem):
    code = "unpacks_too_large"
    template = gettext_noop(
        "Workbook “%(file)s” unpacks to %(value)s bytes; at most %(limit)s are read "
        "(setting %(setting)s). Save it again from Excel or WPS without the unused cells, or split it."
    )
    params = ("file", "value", "limit", "setting")
    description = "An .xlsx/.ods archive (or its shared strings) unpacks beyond the limit: refused unread."


class ReadOutOfMemory(FileProblem):
    code = "read_out_of_memory"
    template = gettext_noop(
        "Reading file “%(file)s” needed more than %(limit)s bytes of memory (setting %(setting)s) and "
        "was stopped. Copy the table into a new workbook without the unused cells, or split it."
    )
    params = ("file", "limit", "setting")
    description = "The reading process reached its memory limit (JIENENG_IMPORT_MEMORY_BYTES)."


class ReadOutOfTime(FileProblem):
    code = "read_out_of_time"
    template = gettext_noop(
        "Reading file “%(file)s” took more than %(limit)s seconds (setting %(setting)s) and was "
        "stopped. Split the file into smaller ones and upload each."
    )
    params = ("file", "limit", "setting")
    description = "The reading process reached its time limit (JIENENG_IMPORT_READ_SECONDS)."


class DamagedFile(FileProblem):
    code = "damaged_file"
    template = gettext_noop(
        "File “%(file)s” is a workbook (%(format)s), but it is damaged or incomplete (perhaps cut "
        "short while copying or uploading). Open it in Excel or WPS, save it again and upload the "
        "saved file."
    )
    params = ("file", "format")
    description = "A workbook that is truncated or damaged: its type is known but it cannot be read."


class EncryptedWorkbook(FileProblem):
    code = "encrypted_workbook"
    template = gettext_noop(
        "Workbook “%(file)s” is protected by a password, so it cannot be read. Open it in Excel or "
        "WPS, remove the password (File → Info → Protect Workbook) and upload it again."
    )
    params = ("file",)
    description = "The workbook is encrypted (password to open): it cannot be read."


class EmptyFile(FileProblem):
    code = "empty_file"
    template = gettext_noop("File “%(file)s” is empty: there is nothing to import.")
    params = ("file",)
    description = "The file (or its sheet) holds no cell at all."


class NoDataRows(FileProblem):
    code = "no_data_rows"
    template = gettext_noop(
        "File “%(file)s” has its header in row %(header)s but no data row below it: nothing to import. "
        "Fill in one row per unit and period, then upload it again."
    )
    params = ("file", "header")
    description = "The file has a header row and nothing below it (an unfilled template)."


class PeriodNotInTitle(FileProblem):
    code = "period_not_in_title"
    severity = ADVISORY
    template = gettext_noop(
        "The title “%(title)s” states another period than %(value)s given here (%(count)s rows differ "
        "from the title). Check that the title and the period column are both right."
    )
    params = ("value", "title", "count")
    description = "A period in the title rows disagrees with the period column: probably a stale title."


class FormulaWithoutValue(FileProblem):
    code = "formula_without_value"
    template = gettext_noop(
        "%(count)s cells hold formulas without a computed result (%(cells)s), so their values are "
        "missing. Open the file in Excel or WPS and save it, then upload it again."
    )
    params = ("count", "cells")
    description = "The workbook was saved by a program that does not compute formulas: their cells are blank."


class MoreProblems(FileProblem):
    code = "more_problems"
    severity = ADVISORY
    template = gettext_noop(
        "… and %(more)s more problems of the kind above (%(count)s in all): only the first %(shown)s "
        "of each kind are listed. Fix those, and upload the file again to see the rest."
    )
    params = ("more", "count", "shown")
    description = "The report keeps the first problems of each kind and the count of the rest."


#: the problems of a file that reached a limit of its reading: the job fails, naming the limit
LIMIT_CODES = frozenset(
    {
        "too_many_rows",
        "too_many_columns",
        "too_many_cells",
        "text_too_long",
        "unpacks_too_large",
        "read_out_of_memory",
        "read_out_of_time",
    }
)
