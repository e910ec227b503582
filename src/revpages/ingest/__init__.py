"""Reading exports: files, encodings, CRM mappings, conforming values, refused rows, data-
quality facts.
"""
