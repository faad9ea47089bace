"""The plan evaluation (中期/终期评估): page, Excel workbook and Word document."""
